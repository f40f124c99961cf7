package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public cancel handle: a cancelled run keeps what it read, and the next run goes on from there. */
class RunControlTest {

  @Test
  void aCancelledRunCommitsWhatItWroteSavesItsCheckpointAndTheNextRunFinishesExactly() {
    FlowTest.CountingSource source = new FlowTest.CountingSource(1_000, 100, -1);
    RecordingSink sink = new RecordingSink();
    StateStore state = StateStores.inMemory();
    RunControl control = new RunControl();
    List<Long> pagesSeen = new ArrayList<>();
    Flow flow = Flow.builder().source(source).into(sink).stateStore(state).batchSize(10_000)
        .listener(new FlowListener() {
          @Override
          public void pageRead(Flow f, String runId, long recordsRead, long pages) {
            pagesSeen.add(pages);
            if (pages == 3) {
              control.cancel(); // as a Ctrl-C hook would, between two pages
            }
          }
        }).build();

    FlowRun cancelled = flow.runOnce(control);

    assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(cancelled.recordsWritten()).isEqualTo(300);
    assertThat(sink.currentState("things")).hasSize(300);
    assertThat(state.load("things")).contains("300");
    assertThat(pagesSeen).containsExactly(1L, 2L, 3L);
    assertThat(flow.runHistory().runs(RunQuery.builder().status(RunStatus.CANCELLED).build()))
        .extracting(FlowRun::runId).containsExactly(cancelled.runId());

    FlowRun rest = flow.runOnce();
    assertThat(rest.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(rest.recordsWritten()).isEqualTo(700);
    assertThat(sink.currentState("things")).hasSize(1_000);
    assertThat(sink.committedIds).hasSize(1_000).doesNotHaveDuplicates(); // none written twice
  }

  /** An in-memory sink that also keeps every id it committed, in order. */
  static final class RecordingSink implements Sink {
    final InMemorySink delegate = Sinks.inMemory();
    final List<String> pending = new ArrayList<>();
    final List<String> committedIds = new ArrayList<>();

    @Override
    public void write(String dataset, List<ChangeEnvelope> changes) {
      delegate.write(dataset, changes);
      changes.forEach(c -> pending.add(c.id()));
    }

    @Override
    public void commit() {
      delegate.commit();
      committedIds.addAll(pending);
      pending.clear();
    }

    @Override
    public void abort() {
      delegate.abort();
      pending.clear();
    }

    java.util.Map<String, dev.sluice.xdm.DataRecord> currentState(String dataset) {
      return delegate.currentState(dataset);
    }
  }

  @Test
  void aHandleCancelledBeforeTheRunStopsItBeforeAnythingIsWritten() {
    InMemorySink sink = Sinks.inMemory();
    RunControl control = new RunControl();
    control.cancel();
    FlowRun run = Flow.builder().source(new FlowTest.CountingSource(50, 10, -1)).into(sink).build()
        .runOnce(control);
    assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.recordsWritten()).isZero();
    assertThat(sink.currentState("things")).isEmpty();
    assertThatThrownBy(() -> Flow.builder().source(new FlowTest.CountingSource(1, 1, -1))
        .into(sink).build().runOnce(null)).hasMessage("control == null");
  }
}
