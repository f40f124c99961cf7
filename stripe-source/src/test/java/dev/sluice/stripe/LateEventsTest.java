package dev.sluice.stripe;

import static dev.sluice.stripe.ChangeFeedSupport.connect;
import static dev.sluice.stripe.ChangeFeedSupport.current;
import static dev.sluice.stripe.ChangeFeedSupport.delete;
import static dev.sluice.stripe.ChangeFeedSupport.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Flow;
import dev.sluice.core.FlowRun;
import dev.sluice.core.RunStatus;
import dev.sluice.core.StateStores;
import dev.sluice.stripe.ChangeFeedSupport.MutableClock;
import dev.sluice.stripe.ChangeFeedSupport.RecordingSink;
import dev.sluice.testkit.StripeEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stripe lists some events late, after events created later than them. With events up to two
 * minutes late (less than the five-minute overlap), writes between runs and writes while a run
 * reads, 50 incremental runs lose no change.
 */
class LateEventsTest {
  static final Duration MAX_LATENESS = Duration.ofSeconds(120);

  @Test
  void fiftyIncrementalRunsWithLateOutOfOrderEventsAndConcurrentWritesLoseNoChange() throws Exception {
    // Every reading of the clock moves it on a millisecond: reads and writes within one run are
    // ordered in time, as they are against Stripe.
    MutableClock clock = new MutableClock(Instant.parse("2026-05-04T08:00:00Z")).ticking(Duration.ofMillis(1));
    try (StripeEmulator emulator = StripeEmulator.builder().seed(31).objectsPerResource(30).clock(clock).start()) {
      emulator.faults().eventLateness(MAX_LATENESS);
      StripeConnection stripe = connect(emulator);
      RecordingSink sink = new RecordingSink();
      // Settle 0: no settle window hides the lateness; the overlap alone must catch late events.
      Flow flow = stripe.source("customers").withClock(clock).withParallelism(3).withSettle(Duration.ZERO)
          .into(sink).stateStore(StateStores.inMemory()).build();
      assertThat(flow.runOnce().status()).isEqualTo(RunStatus.SUCCESS);

      List<String> live = Collections.synchronizedList(new ArrayList<>(current(stripe, "/v1/customers", Map.of()).keySet()));
      Random random = new Random(5);
      int writes = 0;
      for (int run = 0; run < 50; run++) {
        for (int i = random.nextInt(4); i > 0; i--) {
          clock.advance(Duration.ofSeconds(1 + random.nextInt(15)));
          write(stripe, live, random, run + "-" + i);
          writes++;
        }
        long seed = random.nextLong();
        CompletableFuture<Void> during = CompletableFuture.runAsync(() -> {
          Random r = new Random(seed);
          for (int i = 0; i < 3; i++) {
            write(stripe, live, r, "during-" + i);
          }
        });
        FlowRun result = flow.runOnce();
        during.get(30, TimeUnit.SECONDS);
        writes += 3;
        assertThat(result.status()).as("run %d: %s", run, result.failureMessage()).isEqualTo(RunStatus.SUCCESS);
        clock.advance(Duration.ofSeconds(1 + random.nextInt(30)));
      }
      // Once the last events are no longer late, one more run brings the sink level with Stripe.
      clock.advance(MAX_LATENESS.plusSeconds(1));
      assertThat(flow.runOnce().status()).isEqualTo(RunStatus.SUCCESS);

      assertThat(writes).isGreaterThan(150);
      ChangeFeedSupport.assertSameState(sink.state.currentState("customers"), current(stripe, "/v1/customers", Map.of()));
      sink.assertNoVersionTwice(false);
    }
  }

  /** Creates, updates or deletes a customer (updates most often). */
  static void write(StripeConnection stripe, List<String> live, Random random, String tag) {
    int op = random.nextInt(10);
    if (op < 2 || live.size() < 5) {
      live.add(post(stripe, "/v1/customers", Map.of("name", "new " + tag)).getString("id"));
    } else if (op < 3) {
      String id;
      synchronized (live) {
        id = live.remove(random.nextInt(live.size()));
      }
      delete(stripe, "/v1/customers/" + id);
    } else {
      String id;
      synchronized (live) {
        id = live.get(random.nextInt(live.size()));
      }
      try {
        post(stripe, "/v1/customers/" + id, Map.of("metadata", Map.of("tag", tag)));
      } catch (StripeInvalidRequestException deletedMeanwhile) {
        assertThat(deletedMeanwhile.httpStatus()).isEqualTo(404);
      }
    }
  }
}
