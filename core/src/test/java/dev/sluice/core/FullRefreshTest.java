package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.internal.JsonLinesState;
import dev.sluice.xdm.DataRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FullRefreshTest {
  @TempDir Path dir;

  /** A source returning exactly the given ids, whatever the checkpoint. */
  static final class FixedSource implements ChangeSource {
    volatile List<String> ids;
    volatile boolean expired;
    final List<String> checkpoints = new ArrayList<>();

    @Override
    public boolean needsFullRefresh(String checkpoint) {
      return expired;
    }

    FixedSource(String... ids) {
      this.ids = List.of(ids);
    }

    @Override
    public String dataset() {
      return "customers";
    }

    @Override
    public void read(String checkpoint, PageConsumer consumer) {
      checkpoints.add(checkpoint);
      List<ChangeEnvelope> page = new ArrayList<>();
      for (String id : ids) {
        page.add(ChangeEnvelope.upsert("customers", id, Instant.EPOCH,
            DataRecord.builder().put("id", id).put("v", ids.size()).build()));
      }
      consumer.accept(new Page(page, "after-" + ids.size(), 1, 0));
    }
  }

  @Test
  void aFullRefreshReReadsFromScratchAndDeletesWhatTheSourceNoLongerHas() {
    FixedSource source = new FixedSource("cus_1", "cus_2", "cus_3");
    InMemorySink sink = Sinks.inMemory();
    StateStore state = StateStores.inMemory();
    Flow flow = Flow.builder().source(source).into(sink).stateStore(state).build();
    flow.runOnce();

    source.ids = List.of("cus_1", "cus_3", "cus_4");
    FlowRun refresh = flow.runFullRefresh();

    assertThat(refresh.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(refresh.fullRefresh()).isTrue();
    assertThat(refresh.recordsDeleted()).isEqualTo(1);
    assertThat(source.checkpoints).containsExactly(null, null);
    assertThat(sink.currentState("customers")).containsOnlyKeys("cus_1", "cus_3", "cus_4");
    assertThat(sink.currentState("customers").get("cus_1").getLong("v")).isEqualTo(3L);
    assertThat(state.load("customers")).contains("after-3");
  }

  @Test
  void itWorksOnJsonLinesToo() {
    FixedSource source = new FixedSource("cus_1", "cus_2");
    Flow flow = Flow.builder().source(source).into(Sinks.jsonLines(dir)).fullRefresh(true).build();
    flow.runOnce();
    source.ids = List.of("cus_2");
    FlowRun run = flow.runOnce();
    assertThat(run.recordsDeleted()).isEqualTo(1);
    assertThat(JsonLinesState.read(dir, "customers")).containsOnlyKeys("cus_2");
    assertThat(Sinks.jsonLines(dir).currentIds("customers")).contains(Set.of("cus_2"));
  }

  @Test
  void aSinkThatCannotListIdsIsRefusedBeforeAnythingIsRead() {
    FixedSource source = new FixedSource("cus_1");
    FlowRun run = Flow.builder().source(source).into(new FlowTest.CountingSink()).build().runFullRefresh();
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.failureMessage()).contains("cannot list the ids it holds");
    assertThat(source.checkpoints).isEmpty();
  }

  @Test
  void aFailedFullRefreshDeletesNothing() {
    InMemorySink sink = Sinks.inMemory();
    FixedSource source = new FixedSource("cus_1", "cus_2");
    Flow.builder().source(source).into(sink).build().runOnce();
    ChangeSource broken = new ChangeSource() {
      @Override
      public String dataset() {
        return "customers";
      }

      @Override
      public void read(String checkpoint, PageConsumer consumer) {
        throw new SluiceException("Stripe is down");
      }
    };
    FlowRun run = Flow.builder().source(broken).into(sink).build().runFullRefresh();
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(sink.currentState("customers")).containsOnlyKeys("cus_1", "cus_2");
  }

  @Test
  void aSourceThatCanNoLongerResumeGetsAFullRefreshWithItsDeletions() {
    FixedSource source = new FixedSource("cus_1", "cus_2", "cus_3");
    InMemorySink sink = Sinks.inMemory();
    StateStore state = StateStores.inMemory();
    Flow flow = Flow.builder().source(source).into(sink).stateStore(state).build();
    flow.runOnce();
    FlowRun quiet = flow.runOnce();
    assertThat(quiet.fullRefresh()).isFalse();

    source.ids = List.of("cus_1", "cus_3");
    source.expired = true;
    FlowRun run = flow.runOnce();

    assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(run.fullRefresh()).isTrue();
    assertThat(run.recordsDeleted()).isEqualTo(1);
    assertThat(source.checkpoints).containsExactly(null, "after-3", null);
    assertThat(sink.currentState("customers")).containsOnlyKeys("cus_1", "cus_3");
  }

  @Test
  void intoASinkThatCannotListIdsTheSourceRequestedRefreshReReadsAndSaysWhatItCouldNotDelete() {
    FixedSource source = new FixedSource("cus_1", "cus_2");
    FlowTest.CountingSink sink = new FlowTest.CountingSink();
    StateStore state = StateStores.inMemory();
    Flow flow = Flow.builder().source(source).into(sink).stateStore(state).build();
    flow.runOnce();
    source.expired = true;

    FlowRun run = flow.runOnce();

    assertThat(run.status()).isEqualTo(RunStatus.PARTIAL_SUCCESS);
    assertThat(run.fullRefresh()).isTrue();
    assertThat(run.recordsWritten()).isEqualTo(2);
    assertThat(run.errors()).extracting(RunError::code).contains("DELETIONS_NOT_APPLIED");
    assertThat(source.checkpoints).containsExactly(null, null);
  }
}
