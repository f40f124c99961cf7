package dev.sluice.core;

import dev.sluice.core.contract.SinkContractTest;
import dev.sluice.core.internal.JsonLinesState;
import dev.sluice.xdm.DataRecord;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkContractTest extends SinkContractTest {
  @TempDir Path dir;

  @Override
  protected Sink openSink() {
    return Sinks.jsonLines(dir);
  }

  @Override
  protected Map<String, DataRecord> currentState(String dataset) {
    return JsonLinesState.read(dir, dataset);
  }
}
