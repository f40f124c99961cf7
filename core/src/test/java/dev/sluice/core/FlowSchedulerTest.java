package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.Schedule.Frequency;
import dev.sluice.xdm.DataRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FlowSchedulerTest {
  static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
  final MutableClock clock = new MutableClock(T0);

  /** A source that pauses after its first page until the test lets it go on. */
  static final class GatedSource implements ChangeSource {
    final CountDownLatch firstPageDone = new CountDownLatch(1);
    final CountDownLatch goOn = new CountDownLatch(1);

    @Override
    public String dataset() {
      return "gated";
    }

    @Override
    public void read(String checkpoint, PageConsumer consumer) {
      for (int page = 0; page < 3; page++) {
        List<ChangeEnvelope> changes = new ArrayList<>();
        changes.add(ChangeEnvelope.upsert("gated", "g_" + page, T0,
            DataRecord.builder().put("id", "g_" + page).build()));
        consumer.accept(new Page(changes, String.valueOf(page + 1), 1, 10));
        if (page == 0) {
          firstPageDone.countDown();
          await(goOn);
        }
      }
    }
  }

  static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).as("waited too long").isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static FlowRun get(CompletableFuture<FlowRun> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void runsAFlowWhenItIsDueByTheInjectedClock() throws Exception {
    InMemorySink sink = Sinks.inMemory();
    Flow flow = Flow.builder().source(new FlowTest.CountingSource(5, 5, -1)).into(sink)
        .schedule(Schedule.builder().frequency(Frequency.MINUTE).interval(15)
            .startTime(T0.plusSeconds(60)).build())
        .clock(clock).build();
    try (FlowScheduler scheduler = FlowScheduler.builder().clock(clock).build()) {
      scheduler.schedule(flow);
      assertThat(scheduler.runDue()).as("not yet due").isEmpty();
      assertThat(scheduler.nextRun("things")).contains(T0.plusSeconds(60));

      clock.advance(Duration.ofSeconds(60));
      List<CompletableFuture<FlowRun>> started = scheduler.runDue();
      assertThat(started).hasSize(1);
      assertThat(get(started.get(0)).status()).isEqualTo(RunStatus.SUCCESS);
      assertThat(sink.currentState("things")).hasSize(5);
      assertThat(scheduler.nextRun("things")).contains(T0.plusSeconds(60 + 15 * 60));

      clock.advance(Duration.ofMinutes(14));
      assertThat(scheduler.runDue()).isEmpty();
      // Two hours pass at once: one run, not eight; the next due time is the next multiple.
      clock.advance(Duration.ofHours(2));
      assertThat(scheduler.runDue()).hasSize(1).allSatisfy(f -> f.join());
      assertThat(scheduler.nextRun("things")).contains(T0.plusSeconds(60 + 9 * 15 * 60));
    }
  }

  @Test
  void aOnceFlowRunsOneTime() throws Exception {
    Flow flow = Flow.builder().source(new FlowTest.CountingSource(1, 1, -1)).into(Sinks.inMemory()).build();
    try (FlowScheduler scheduler = FlowScheduler.builder().clock(clock).build()) {
      scheduler.schedule(flow);
      assertThat(scheduler.runDue()).hasSize(1).allSatisfy(CompletableFuture::join);
      clock.advance(Duration.ofDays(30));
      assertThat(scheduler.runDue()).isEmpty();
      assertThat(scheduler.nextRun("things")).isEmpty();
    }
  }

  @Test
  void neverTwoRunsOfOneFlowAtOnceAndACancelledRunKeepsWhatItCommitted() throws Exception {
    GatedSource source = new GatedSource();
    InMemorySink sink = Sinks.inMemory();
    StateStore state = StateStores.inMemory();
    Flow flow = Flow.builder().source(source).into(sink).stateStore(state).batchSize(1)
        .schedule(Schedule.every(15, Frequency.MINUTE)).clock(clock).build();
    try (FlowScheduler scheduler = FlowScheduler.builder().clock(clock).build()) {
      scheduler.schedule(flow);
      CompletableFuture<FlowRun> run = scheduler.runDue().get(0);
      await(source.firstPageDone);
      assertThat(scheduler.isRunning("gated")).isTrue();

      clock.advance(Duration.ofMinutes(15));
      assertThat(scheduler.runDue()).as("still running: the due time is skipped").isEmpty();
      assertThatThrownBy(() -> scheduler.runNow("gated"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");

      assertThat(scheduler.cancel("gated")).isTrue();
      source.goOn.countDown();
      FlowRun cancelled = get(run);
      assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(cancelled.recordsWritten()).isEqualTo(1);
      assertThat(sink.currentState("gated")).containsOnlyKeys("g_0");
      assertThat(state.load("gated")).contains("1");
      assertThat(flow.runHistory().runs(RunQuery.builder().status(RunStatus.CANCELLED).build()))
          .extracting(FlowRun::runId).containsExactly(cancelled.runId());
      assertThat(scheduler.cancel("gated")).as("nothing left to cancel").isFalse();
    }
  }

  @Test
  void closeCancelsRunsUnderWayAndWaitsForThem() throws Exception {
    GatedSource source = new GatedSource();
    Flow flow = Flow.builder().source(source).into(Sinks.inMemory()).batchSize(1).build();
    FlowScheduler scheduler = FlowScheduler.builder().clock(clock).build();
    scheduler.schedule(flow);
    CompletableFuture<FlowRun> run = scheduler.runNow("gated");
    await(source.firstPageDone);
    Thread closer = new Thread(scheduler::close);
    closer.start();
    // Once close() waits for the run, it has marked it cancelled; the next page makes it stop.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (closer.getState() != Thread.State.TIMED_WAITING && closer.isAlive()) {
      assertThat(System.nanoTime()).as("close() never waited").isLessThan(deadline);
      Thread.onSpinWait();
    }
    source.goOn.countDown();
    closer.join(10_000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(run.isDone()).isTrue();
    assertThat(get(run).status()).isEqualTo(RunStatus.CANCELLED);
    assertThatThrownBy(() -> scheduler.schedule(flow)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void theBackgroundThreadStartsDueRuns() throws Exception {
    CountDownLatch ended = new CountDownLatch(1);
    Flow flow = Flow.builder().source(new FlowTest.CountingSource(3, 3, -1)).into(Sinks.inMemory())
        .listener(new FlowListener() {
          @Override
          public void runEnded(Flow f, FlowRun run) {
            ended.countDown();
          }
        }).build();
    try (FlowScheduler scheduler = FlowScheduler.builder().build()) {
      scheduler.schedule(flow);
      scheduler.start();
      await(ended);
    }
  }

  @Test
  void withARegistryOnlyEnabledFlowsRunInTheirLatestVersion() throws Exception {
    FlowRegistry registry = FlowRegistry.inMemory();
    InMemorySink first = Sinks.inMemory();
    InMemorySink second = Sinks.inMemory();
    Flow flow = Flow.builder().source(new FlowTest.CountingSource(3, 3, -1)).into(first)
        .schedule(Schedule.every(15, Frequency.MINUTE)).clock(clock).build();
    String etag = registry.register(flow).etag();
    try (FlowScheduler scheduler = FlowScheduler.builder().clock(clock).registry(registry).build()) {
      assertThat(scheduler.runDue()).hasSize(1).allSatisfy(CompletableFuture::join);
      assertThat(first.currentState("things")).hasSize(3);

      etag = registry.disable("things", etag).etag();
      clock.advance(Duration.ofMinutes(15));
      assertThat(scheduler.runDue()).as("disabled").isEmpty();
      assertThat(scheduler.nextRun("things")).isEmpty();

      // The update sends the flow elsewhere and its source has grown; the checkpoint carries on.
      etag = registry.update("things", etag,
          b -> b.into(second).source(new FlowTest.CountingSource(5, 5, -1))).etag();
      etag = registry.enable("things", etag).etag();
      assertThat(scheduler.runDue()).as("enabled again, updated").hasSize(1).allSatisfy(CompletableFuture::join);
      assertThat(second.currentState("things")).as("the updated flow ran from the checkpoint").hasSize(2);

      registry.delete("things", etag);
      clock.advance(Duration.ofMinutes(15));
      assertThat(scheduler.runDue()).as("deleted").isEmpty();
    }
  }
}
