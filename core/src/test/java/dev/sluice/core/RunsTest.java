package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Schedule.Frequency;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.mapping.Mapping;
import dev.sluice.xdm.mapping.MappingError;
import dev.sluice.xdm.mapping.MappingResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2025-05-01T10:00:00Z"));

  /** Rejects records whose n is a multiple of {@code every}. */
  static Mapping rejectEvery(int every) {
    return r -> ((Long) r.get("n")) % every == 0
        ? MappingResult.rejected(List.of(new MappingError("REQUIRED_FIELD_MISSING", "data.x",
            "_t.x", r.getString("id"), "x is required", true)))
        : MappingResult.of(r);
  }

  /** Ten records changed one hour apart, in pages of 5 that each needed a retry. */
  static ChangeSource hourly(int total) {
    return new ChangeSource() {
      @Override
      public String dataset() {
        return "things";
      }

      @Override
      public void read(String checkpoint, PageConsumer consumer) {
        List<ChangeEnvelope> page = new ArrayList<>();
        for (int i = 0; i < total; i++) {
          page.add(ChangeEnvelope.upsert("things", "th_" + i,
              Instant.parse("2025-01-01T00:00:00Z").plus(Duration.ofHours(i)),
              DataRecord.builder().put("id", "th_" + i).put("n", i).build()));
          if (page.size() == 5 || i == total - 1) {
            consumer.accept(new Page(page, String.valueOf(i + 1), 2, 1000, 1));
            page = new ArrayList<>();
          }
        }
      }
    };
  }

  @Test
  void aRunReportsBytesRetriesAndTheWindowItCovered() {
    FlowRun run = Flow.builder().source(hourly(10)).into(Sinks.jsonLines(dir)).clock(clock).build().runOnce();
    assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(run.bytesRead()).isEqualTo(2000);
    assertThat(run.bytesWritten()).isEqualTo(10 * "{\"id\":\"th_0\",\"n\":0}\n".length());
    assertThat(run.requests()).isEqualTo(4);
    assertThat(run.retries()).isEqualTo(2);
    assertThat(run.windowStart()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(run.windowEnd()).isEqualTo(Instant.parse("2025-01-01T09:00:00Z"));
    assertThat(run.startedAt()).isEqualTo(clock.instant());
    assertThat(Flow.builder().source(hourly(1)).into(new FlowTest.CountingSink()).build().runOnce()
        .bytesWritten()).as("a sink that does not count").isEqualTo(-1);
  }

  @Test
  void belowTheThresholdGoodRecordsLandAndRejectedOnesAreKeptAsRowErrors() {
    InMemorySink sink = Sinks.inMemory();
    Flow flow = Flow.builder().source(hourly(10)).mapping(rejectEvery(5)).into(sink)
        .maxFailedPercent(20).build();
    FlowRun run = flow.runOnce();
    assertThat(run.status()).isEqualTo(RunStatus.PARTIAL_SUCCESS);
    assertThat(run.failedPercent()).isEqualTo(20.0);
    assertThat(sink.currentState("things")).hasSize(8).doesNotContainKeys("th_0", "th_5");
    List<RowError> rowErrors = flow.runHistory().rowErrors(run.runId());
    assertThat(rowErrors).extracting(RowError::recordId).containsExactly("th_0", "th_5");
    assertThat(rowErrors.get(1).record().getLong("n")).isEqualTo(5L);
    assertThat(rowErrors.get(1).errors()).extracting(RunError::code).containsExactly("REQUIRED_FIELD_MISSING");
  }

  @Test
  void aboveTheThresholdTheRunFailsAndTheBatchInHandIsNotCommitted() {
    InMemorySink sink = Sinks.inMemory();
    StateStore state = StateStores.inMemory();
    FlowRun run = Flow.builder().source(hourly(10)).mapping(rejectEvery(3)).into(sink).stateStore(state)
        .maxFailedPercent(10).batchSize(5).build().runOnce();
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.errors().get(0).code()).isEqualTo("ERROR_THRESHOLD_EXCEEDED");
    assertThat(run.failureMessage()).startsWith("4 of 10 records (40.00%) were rejected")
        .contains("maxFailedPercent of 10.0%");
    assertThat(sink.currentState("things")).isEmpty();
    assertThat(state.load("things")).isEmpty();
  }

  @Test
  void rowErrorsAreKeptForTheLastRunsOnlyAndHistoryIsQueryable() {
    RunHistory history = RunHistories.directory(dir.resolve("history"), 1);
    List<FlowRun> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Flow flow = Flow.builder().id("f" + (i % 2)).source(hourly(10)).mapping(rejectEvery(5))
          .into(Sinks.inMemory()).runHistory(history).clock(clock).build();
      runs.add(flow.runOnce());
      clock.advance(Duration.ofHours(1));
    }
    Flow failing = Flow.builder().id("f1").source(FlowTest.failingSource()).into(Sinks.inMemory())
        .runHistory(history).clock(clock).build();
    FlowRun failed = failing.runOnce();

    // A new instance over the same directory reads the same history: it survives a restart.
    RunHistory reopened = RunHistories.directory(dir.resolve("history"), 1);
    assertThat(reopened.runs(RunQuery.builder().flowId("f0").build()))
        .extracting(FlowRun::runId).containsExactly(runs.get(2).runId(), runs.get(0).runId());
    assertThat(reopened.runs(RunQuery.builder().status(RunStatus.FAILED).build()))
        .extracting(FlowRun::runId).containsExactly(failed.runId());
    assertThat(reopened.runs(RunQuery.builder().startedFrom(runs.get(1).startedAt())
        .startedBefore(failed.startedAt()).build()))
        .extracting(FlowRun::runId).containsExactly(runs.get(2).runId(), runs.get(1).runId());
    assertThat(reopened.run(runs.get(1).runId())).contains(runs.get(1));
    // Row errors are kept for the last run of each flow only (rowErrorRuns = 1).
    assertThat(reopened.rowErrors(runs.get(2).runId())).hasSize(2);
    assertThat(reopened.rowErrors(runs.get(0).runId())).as("f0's older run").isEmpty();
    assertThat(reopened.rowErrors(runs.get(1).runId())).as("f1's run before the failed one").isEmpty();
    FlowRun stored = reopened.run(failed.runId()).orElseThrow();
    assertThat(stored.failureMessage()).isEqualTo(failed.failureMessage());
    assertThat(stored.endedAt()).isEqualTo(failed.endedAt());
  }

  @Test
  void aDirectoryHistoryKeepsRowErrorFilesOfTheLastRunsOnly() throws Exception {
    Path historyDir = dir.resolve("history");
    RunHistory history = RunHistories.directory(historyDir, 2);
    Flow clean = Flow.builder().id("clean").source(hourly(3)).into(Sinks.inMemory())
        .runHistory(history).clock(clock).build();
    clean.runOnce();
    assertThat(historyDir.resolve("row-errors")).as("no rejected record yet").doesNotExist();
    List<FlowRun> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Flow flow = Flow.builder().id("f").source(hourly(10)).mapping(rejectEvery(5))
          .into(Sinks.inMemory()).runHistory(history).clock(clock).build();
      runs.add(flow.runOnce());
      clock.advance(Duration.ofHours(1));
      clean.runOnce();
    }
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(historyDir.resolve("row-errors"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder(runs.get(2).runId() + ".jsonl", runs.get(3).runId() + ".jsonl");
    }
    assertThat(history.rowErrors(runs.get(3).runId())).hasSize(2);
    assertThat(history.rowErrors(runs.get(1).runId())).isEmpty();
  }

  @Test
  void onlyTheLastNRunsOfAFlowKeepTheirRowErrors() {
    RunHistory history = RunHistories.inMemory();
    Flow flow = Flow.builder().source(hourly(10)).mapping(rejectEvery(5)).into(Sinks.inMemory())
        .runHistory(history).build();
    List<FlowRun> runs = new ArrayList<>();
    for (int i = 0; i < RunHistories.DEFAULT_ROW_ERROR_RUNS + 1; i++) {
      runs.add(flow.runOnce());
    }
    assertThat(history.rowErrors(runs.get(0).runId())).isEmpty();
    assertThat(history.rowErrors(runs.get(1).runId())).hasSize(2);
    assertThat(history.runs(RunQuery.builder().flowId("things").limit(3).build())).hasSize(3);
  }

  @Test
  void listenersHearStartProgressSuccessAndFailure() {
    List<String> heard = new ArrayList<>();
    FlowListener listener = new FlowListener() {
      @Override
      public void runStarted(Flow flow, String runId) {
        heard.add("started");
      }

      @Override
      public void progress(Flow flow, String runId, long read, long written) {
        heard.add("progress " + read + "/" + written);
      }

      @Override
      public void runSucceeded(Flow flow, FlowRun run) {
        heard.add("succeeded");
      }

      @Override
      public void runFailed(Flow flow, FlowRun run) {
        heard.add("failed " + run.errors().get(0).code());
      }

      @Override
      public void runEnded(Flow flow, FlowRun run) {
        heard.add("ended " + run.status());
        throw new IllegalStateException("a listener that throws changes nothing");
      }
    };
    FlowRun ok = Flow.builder().source(hourly(10)).into(Sinks.inMemory()).batchSize(5).listener(listener)
        .build().runOnce();
    assertThat(ok.status()).isEqualTo(RunStatus.SUCCESS);
    Flow.builder().source(FlowTest.failingSource()).into(Sinks.inMemory()).listener(listener).build().runOnce();
    assertThat(heard).containsExactly("started", "progress 5/5", "progress 10/10", "succeeded",
        "ended SUCCESS", "started", "failed ERROR", "ended FAILED");
  }

  @Test
  void withoutBackfillChangesBeforeTheStartTimeAreSkipped() {
    InMemorySink sink = Sinks.inMemory();
    Schedule schedule = Schedule.builder().frequency(Frequency.DAY).interval(1)
        .startTime(Instant.parse("2025-01-01T05:00:00Z")).backfill(false).build();
    FlowRun run = Flow.builder().source(hourly(10)).into(sink).schedule(schedule).build().runOnce();
    assertThat(run.recordsSkipped()).isEqualTo(5);
    assertThat(run.recordsWritten()).isEqualTo(5);
    assertThat(sink.currentState("things")).containsOnlyKeys("th_5", "th_6", "th_7", "th_8", "th_9");
  }
}
