package dev.sluice.core;

import dev.sluice.core.contract.SinkContractTest;
import dev.sluice.xdm.DataRecord;
import java.util.Map;

class InMemorySinkContractTest extends SinkContractTest {
  private final InMemorySink store = Sinks.inMemory();

  @Override
  protected Sink openSink() {
    return store.reopen();
  }

  @Override
  protected Map<String, DataRecord> currentState(String dataset) {
    return store.currentState(dataset);
  }
}
