package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.internal.JsonLinesState;
import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a flow's checkpoint lives with a sink that stores checkpoints, and where it lives with one
 * that does not; and that the fields and API version of the data are reported run after run.
 */
class CheckpointInSinkTest {
  @TempDir Path dir;

  /** A source of numbered records after an offset checkpoint; pages as the test sets them. */
  static final class CountingSource implements ChangeSource {
    final List<String> checkpointsGiven = new ArrayList<>();
    volatile int total;
    volatile String apiVersion;
    volatile java.util.function.IntFunction<DataRecord> records = CountingSource::plain;

    CountingSource(int total) {
      this.total = total;
    }

    static DataRecord plain(int i) {
      return DataRecord.builder().put("id", "ch_" + i).put("amount", (long) i)
          .put("card", DataRecord.builder().put("brand", "visa").build())
          .put("metadata", DataRecord.builder().put("order", "o" + i).build())
          .build();
    }

    @Override
    public String dataset() {
      return "charges";
    }

    @Override
    public void read(String checkpoint, PageConsumer consumer) {
      checkpointsGiven.add(checkpoint);
      int from = checkpoint == null ? 0 : Integer.parseInt(checkpoint);
      do {
        List<ChangeEnvelope> page = new ArrayList<>();
        int to = Math.min(total, from + 10);
        for (int i = from; i < to; i++) {
          page.add(ChangeEnvelope.upsert("charges", "ch_" + i, Instant.ofEpochSecond(1_700_000_000L + i),
              records.apply(i)));
        }
        from = to;
        // A quiet poll still hands over one (empty) page with its checkpoint.
        consumer.accept(new Page(page, String.valueOf(from), 1, 0, 0, apiVersion));
      } while (from < total);
    }
  }

  private long lines() throws IOException {
    long n = 0;
    try (Stream<Path> files = Files.list(dir.resolve("charges"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        n += Files.readAllLines(f).size();
      }
    }
    return n;
  }

  @Test
  void theCheckpointCommitsInTheSinkAndTheStateStoreGetsACopy() throws IOException {
    CountingSource source = new CountingSource(35);
    StateStore state = StateStores.directory(dir.resolve(".sluice/state"));
    Flow flow = Flow.builder().source(source).into(Sinks.jsonLines(dir)).stateStore(state).batchSize(10).build();
    assertThat(flow.runOnce().recordsWritten()).isEqualTo(35);

    Sink reopened = Sinks.jsonLines(dir);
    assertThat(reopened.checkpoint("charges")).as("the source's text, unchanged").contains("35");
    assertThat(state.load("charges")).as("the mirror").contains("35");
    assertThat(Files.readString(dir.resolve(".sluice/state/charges.json"))).isEqualTo("35");
    assertThat(reopened.checkpoint("charges" + Flow.DRIFT_SUFFIX)).hasValueSatisfying(
        text -> assertThat(text).contains("\"amount\":\"number\"").doesNotContain("order"));
  }

  @Test
  void aStaleStateStoreDoesNotMakeTheNextRunWriteABatchAgain() throws IOException {
    CountingSource source = new CountingSource(30);
    StateStore state = StateStores.inMemory();
    Flow flow = Flow.builder().source(source).into(Sinks.jsonLines(dir)).stateStore(state).batchSize(10).build();
    flow.runOnce();
    // What a crash right after the last commit leaves: the copy in the state store is one batch behind.
    state.save("charges", "20");

    source.total = 40;
    FlowRun next = Flow.builder().source(source).into(Sinks.jsonLines(dir)).stateStore(state).batchSize(10)
        .build().runOnce();
    assertThat(source.checkpointsGiven).containsExactly(null, "30");
    assertThat(next.recordsWritten()).isEqualTo(10);
    assertThat(lines()).isEqualTo(40);
    assertThat(JsonLinesState.read(dir, "charges")).hasSize(40);
  }

  @Test
  void theFirstRunAfterAnUpgradeResumesFromTheStateStore() throws IOException {
    CountingSource source = new CountingSource(30);
    StateStore state = StateStores.inMemory();
    state.save("charges", "20"); // written by a version that kept checkpoints only there
    FlowRun run = Flow.builder().source(source).into(Sinks.jsonLines(dir)).stateStore(state).build().runOnce();
    assertThat(source.checkpointsGiven).containsExactly("20");
    assertThat(run.recordsWritten()).isEqualTo(10);
    assertThat(Sinks.jsonLines(dir).checkpoint("charges")).contains("30");
  }

  @Test
  void aQuietPollStillMovesTheCheckpoint() {
    CountingSource source = new CountingSource(10);
    Flow flow = Flow.builder().source(source).into(Sinks.jsonLines(dir)).build();
    flow.runOnce();
    // The source's next checkpoint differs although no record came: here a version marker.
    ChangeSource quiet = new ChangeSource() {
      @Override
      public String dataset() {
        return "charges";
      }

      @Override
      public void read(String checkpoint, PageConsumer consumer) {
        consumer.accept(new Page(List.of(), checkpoint + "+polled", 1, 0));
      }
    };
    FlowRun polled = flow.newBuilder().source(quiet).build().runOnce();
    assertThat(polled.recordsRead()).isZero();
    assertThat(Sinks.jsonLines(dir).checkpoint("charges")).contains("10+polled");
  }

  @Test
  void aSinkThatStoresNoCheckpointsKeepsTheStateStore() {
    CountingSource source = new CountingSource(20);
    StateStore state = StateStores.inMemory();
    InMemorySink sink = Sinks.inMemory();
    Flow flow = Flow.builder().source(source).into(sink).stateStore(state).build();
    flow.runOnce();
    assertThat(state.load("charges")).contains("20");
    source.total = 25;
    flow.runOnce();
    assertThat(source.checkpointsGiven).containsExactly(null, "20");
    assertThat(sink.currentState("charges")).hasSize(25);
  }

  @Test
  void newFieldsTypeChangesAndAnApiVersionChangeAreReported() {
    CountingSource source = new CountingSource(20);
    source.apiVersion = "2024-06-20";
    StateStore state = StateStores.directory(dir.resolve(".sluice/state"));
    Flow flow = Flow.builder().source(source).into(Sinks.jsonLines(dir)).stateStore(state).build();
    FlowRun first = flow.runOnce();
    assertThat(first.schemaChanges()).as("the first run learns the fields").isEmpty();
    assertThat(first.apiVersion()).isEqualTo("2024-06-20");
    assertThat(first.apiVersionChanged()).isFalse();

    // Stripe adds a field to some objects (and a nested one), and amount turns into text for some;
    // metadata keys come and go without being reported.
    source.total = 40;
    source.apiVersion = "2025-03-31";
    source.records = i -> {
      DataRecord.Builder b = CountingSource.plain(i).toBuilder()
          .put("metadata", DataRecord.builder().put("campaign", "c" + i).build());
      if (i % 3 == 0) {
        b.put("risk_level", "normal")
            .put("card", DataRecord.builder().put("brand", "visa").put("wallet", null).build());
      }
      if (i % 2 == 0) {
        b.put("amount", "12.50");
      }
      return b.build();
    };
    FlowRun second = Flow.builder().source(source).into(Sinks.jsonLines(dir)).stateStore(state)
        .runHistory(RunHistories.directory(dir.resolve(".sluice/history"))).build().runOnce();
    assertThat(second.schemaChanges()).extracting(SchemaChange::toString).containsExactlyInAnyOrder(
        "charges.amount: number -> number|string",
        "charges.risk_level: added as string",
        "charges.card.wallet: added as null");
    assertThat(second.apiVersionBefore()).isEqualTo("2024-06-20");
    assertThat(second.apiVersion()).isEqualTo("2025-03-31");
    assertThat(second.apiVersionChanged()).isTrue();
    assertThat(RunHistories.directory(dir.resolve(".sluice/history")).run(second.runId()))
        .as("the run history keeps the report").contains(second);

    source.total = 60;
    FlowRun third = Flow.builder().source(source).into(Sinks.jsonLines(dir)).stateStore(state).build().runOnce();
    assertThat(third.recordsRead()).isEqualTo(20);
    assertThat(third.schemaChanges()).as("nothing new since").isEmpty();
    assertThat(third.apiVersionChanged()).isFalse();
  }

  @Test
  void theDriftStateIsKeptInTheStateStoreForASinkThatStoresNoCheckpoints() {
    CountingSource source = new CountingSource(5);
    source.apiVersion = "2024-06-20";
    StateStore state = StateStores.inMemory();
    Flow flow = Flow.builder().source(source).into(Sinks.inMemory()).stateStore(state).build();
    flow.runOnce();
    source.total = 10;
    source.apiVersion = "2025-03-31";
    source.records = i -> CountingSource.plain(i).toBuilder().put("level3", DataRecord.empty()).build();
    FlowRun run = flow.runOnce();
    assertThat(run.schemaChanges()).extracting(SchemaChange::field).containsExactly("level3");
    assertThat(run.apiVersionChanged()).isTrue();
  }

  @Test
  void anUnreadableDriftStateIsLearnedAgainWithoutFailingTheRun() {
    StateStore state = StateStores.inMemory();
    state.save("charges" + Flow.DRIFT_SUFFIX, "{not json");
    FlowRun run = Flow.builder().source(new CountingSource(5)).into(Sinks.inMemory()).stateStore(state)
        .build().runOnce();
    assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(run.schemaChanges()).isEmpty();
    assertThat(state.load("charges" + Flow.DRIFT_SUFFIX)).hasValueSatisfying(
        t -> assertThat(t).contains("\"id\":\"string\""));
  }

  @Test
  void aSourceAskingForAFullRefreshIsAskedWithTheCheckpointTheSinkHolds() {
    List<String> asked = new ArrayList<>();
    CountingSource counting = new CountingSource(30);
    ChangeSource source = new ChangeSource() {
      @Override
      public String dataset() {
        return "charges";
      }

      @Override
      public boolean needsFullRefresh(String checkpoint) {
        asked.add(checkpoint);
        return true;
      }

      @Override
      public void read(String checkpoint, PageConsumer consumer) {
        counting.read(checkpoint, consumer);
      }
    };
    StateStore state = StateStores.inMemory();
    Flow.builder().source(counting).into(Sinks.jsonLines(dir)).stateStore(state).build().runOnce();
    state.save("charges", "10"); // a stale copy: the sink's checkpoint wins

    FlowRun refresh = Flow.builder().source(source).into(Sinks.jsonLines(dir)).stateStore(state).build().runOnce();
    assertThat(asked).containsExactly("30");
    assertThat(refresh.fullRefresh()).isTrue();
    assertThat(refresh.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(counting.checkpointsGiven).containsExactly(null, null);
    assertThat(JsonLinesState.read(dir, "charges")).hasSize(30);
  }
}
