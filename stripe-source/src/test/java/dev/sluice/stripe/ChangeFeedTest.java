package dev.sluice.stripe;

import static dev.sluice.stripe.ChangeFeedSupport.backfillThenUpdateCustomers;
import static dev.sluice.stripe.ChangeFeedSupport.connect;
import static dev.sluice.stripe.ChangeFeedSupport.current;
import static dev.sluice.stripe.ChangeFeedSupport.delete;
import static dev.sluice.stripe.ChangeFeedSupport.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.ChangeSource;
import dev.sluice.core.Flow;
import dev.sluice.core.FlowRun;
import dev.sluice.core.RunStatus;
import dev.sluice.core.StateStores;
import dev.sluice.stripe.ChangeFeedSupport.MutableClock;
import dev.sluice.stripe.ChangeFeedSupport.RecordingSink;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The change feed under Stripe's real conditions, against the emulator on a clock the test moves:
 * quiet resources, Stripe's 30-day event window, objects created and deleted between runs, and
 * changes that arrive as events about other objects. Every test compares what the sink holds with
 * the emulator's objects fetched over HTTP, and the exact versions written.
 */
class ChangeFeedTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  static String version(ChangeEnvelope c) {
    return c.operation() + " " + c.id() + " @" + c.versionTime();
  }

  static List<String> versions(List<ChangeEnvelope> changes) {
    return changes.stream().map(ChangeFeedTest::version).toList();
  }

  static Map<String, DataRecord> upserted(List<ChangeEnvelope> changes) {
    return changes.stream().filter(c -> c.operation() == ChangeEnvelope.Operation.UPSERT)
        .collect(Collectors.toMap(ChangeEnvelope::id, ChangeEnvelope::record));
  }

  @Test
  void aQuietResourceIsNeverReadAgainAndAfter31DaysOneFullRefreshAppliesTheGapsDeletions() {
    MutableClock clock = new MutableClock(T0);
    try (StripeEmulator emulator = StripeEmulator.builder().seed(21).objectsPerResource(12).clock(clock).start()) {
      StripeConnection stripe = connect(emulator);
      RecordingSink sink = new RecordingSink();
      // The source's defaults (settle 60 s, overlap 5 min), on the emulator's clock.
      Flow flow = stripe.source("customers").withClock(clock).withParallelism(2).into(sink)
          .stateStore(StateStores.inMemory()).build();
      int[] seen = {0};

      FlowRun first = flow.runOnce();
      assertThat(first.status()).isEqualTo(RunStatus.SUCCESS);
      Map<String, DataRecord> before = current(stripe, "/v1/customers", Map.of());
      List<ChangeEnvelope> backfill = sink.takeNew(seen);
      assertThat(versions(backfill)).containsExactlyInAnyOrderElementsOf(
          before.keySet().stream().map(id -> "UPSERT " + id + " @" + T0).toList());
      assertThat(upserted(backfill)).isEqualTo(before);

      for (int day : new int[] {29, 58, 87}) {
        clock.advance(Duration.ofDays(29));
        emulator.clearRequests();
        FlowRun quiet = flow.runOnce();
        assertThat(quiet.status()).as("day %d", day).isEqualTo(RunStatus.SUCCESS);
        assertThat(quiet.fullRefresh()).as("day %d", day).isFalse();
        assertThat(quiet.recordsRead()).as("day %d", day).isZero();
        assertThat(sink.takeNew(seen)).as("day %d", day).isEmpty();
        // One look at new objects and one events poll; no object is read.
        assertThat(emulator.requests()).extracting(RecordedRequest::path)
            .as("day %d", day).containsExactlyInAnyOrder("/v1/customers", "/v1/events");
      }

      List<String> ids = new ArrayList<>(before.keySet());
      clock.advance(Duration.ofHours(1));
      delete(stripe, "/v1/customers/" + ids.get(0));
      post(stripe, "/v1/customers/" + ids.get(1), Map.of("name", "Renamed while nobody synced"));
      String created = post(stripe, "/v1/customers", Map.of("name", "Created while nobody synced")).getString("id");
      clock.advance(Duration.ofDays(31).minusHours(1));
      Instant refreshAt = clock.instant();

      FlowRun refresh = flow.runOnce();
      assertThat(refresh.status()).isEqualTo(RunStatus.SUCCESS);
      assertThat(refresh.fullRefresh()).isTrue();
      assertThat(refresh.recordsDeleted()).isEqualTo(1);
      Map<String, DataRecord> now = current(stripe, "/v1/customers", Map.of());
      assertThat(now).containsKey(created).doesNotContainKey(ids.get(0)).hasSize(12);
      List<ChangeEnvelope> reread = sink.takeNew(seen);
      assertThat(upserted(reread)).isEqualTo(now);
      assertThat(reread.stream().filter(c -> c.operation() == ChangeEnvelope.Operation.UPSERT))
          .allSatisfy(c -> assertThat(c.versionTime()).isEqualTo(refreshAt));
      assertThat(reread.stream().filter(c -> c.operation() == ChangeEnvelope.Operation.DELETE).map(ChangeEnvelope::id))
          .containsExactly(ids.get(0));
      assertThat(sink.state.currentState("customers")).isEqualTo(now);

      clock.advance(Duration.ofDays(1));
      FlowRun after = flow.runOnce();
      assertThat(after.fullRefresh()).as("the refresh happens once").isFalse();
      assertThat(after.recordsRead()).isZero();
      sink.assertNoVersionTwice(false);
    }
  }

  @Test
  void objectsCreatedUpdatedAndDeletedBetweenRunsGiveOneVersionEachAndDeletesNeverStubs() {
    MutableClock clock = new MutableClock(T0);
    try (StripeEmulator emulator = StripeEmulator.builder().seed(22).objectsPerResource(10).clock(clock).start()) {
      StripeConnection stripe = connect(emulator);
      RecordingSink sink = new RecordingSink();
      Flow flow = stripe.source("customers").withClock(clock).withParallelism(2).into(sink)
          .stateStore(StateStores.inMemory()).build();
      int[] seen = {0};
      assertThat(flow.runOnce().status()).isEqualTo(RunStatus.SUCCESS);
      sink.takeNew(seen);
      List<String> ids = new ArrayList<>(current(stripe, "/v1/customers", Map.of()).keySet());
      String y = ids.get(1);
      String z = ids.get(2);

      clock.advance(Duration.ofSeconds(10));
      String x = post(stripe, "/v1/customers", Map.of("name", "x1")).getString("id");
      clock.advance(Duration.ofSeconds(10));
      post(stripe, "/v1/customers/" + x, Map.of("name", "x2"));
      post(stripe, "/v1/customers/" + y, Map.of("email", "y@example.com"));
      post(stripe, "/v1/customers/" + z, Map.of("name", "z, about to go"));
      clock.advance(Duration.ofSeconds(25));
      delete(stripe, "/v1/customers/" + z); // after the next poll's upper bound (now - 60 s)
      clock.advance(Duration.ofSeconds(55));
      Instant second = clock.instant();

      assertThat(flow.runOnce().status()).isEqualTo(RunStatus.SUCCESS);
      List<ChangeEnvelope> run2 = sink.takeNew(seen);
      // x: created and updated, written once (listed); y: re-fetched; z: its update's re-fetch
      // answers a deleted stub, which is a delete.
      assertThat(versions(run2)).containsExactly(
          "UPSERT " + x + " @" + second, "UPSERT " + y + " @" + second, "DELETE " + z + " @" + second);
      Map<String, DataRecord> now = current(stripe, "/v1/customers", Map.of());
      assertThat(upserted(run2)).isEqualTo(Map.of(x, now.get(x), y, now.get(y)));
      assertThat(now.get(x).getString("name")).isEqualTo("x2");
      assertThat(sink.state.currentState("customers")).isEqualTo(now);

      clock.advance(Duration.ofSeconds(100));
      assertThat(flow.runOnce().status()).isEqualTo(RunStatus.SUCCESS);
      assertThat(sink.takeNew(seen)).as("z's delete event, read now, was applied already").isEmpty();

      String w = ids.get(3);
      post(stripe, "/v1/customers/" + w, Map.of("name", "w, about to go"));
      clock.advance(Duration.ofSeconds(5));
      delete(stripe, "/v1/customers/" + w);
      String v = post(stripe, "/v1/customers", Map.of("name", "short-lived")).getString("id");
      delete(stripe, "/v1/customers/" + v);
      clock.advance(Duration.ofSeconds(100));
      Instant fourth = clock.instant();
      assertThat(flow.runOnce().status()).isEqualTo(RunStatus.SUCCESS);
      // Updated then deleted, and created then deleted: a delete each, no upsert.
      assertThat(versions(sink.takeNew(seen))).containsExactly(
          "DELETE " + w + " @" + fourth, "DELETE " + v + " @" + fourth);
      assertThat(sink.state.currentState("customers")).isEqualTo(current(stripe, "/v1/customers", Map.of()));
      sink.assertNoVersionTwice(true);
    }
  }

  @Test
  void aRefundAndADisputeMakeTheNextRunWriteTheirChargesNewVersion() {
    MutableClock clock = new MutableClock(T0);
    try (StripeEmulator emulator = StripeEmulator.builder().seed(23).objectsPerResource(10).clock(clock).start()) {
      StripeConnection stripe = connect(emulator);
      RecordingSink sink = new RecordingSink();
      Flow flow = stripe.source("charges").withClock(clock).withParallelism(2).into(sink)
          .stateStore(StateStores.inMemory()).build();
      int[] seen = {0};
      assertThat(flow.runOnce().status()).isEqualTo(RunStatus.SUCCESS);
      sink.takeNew(seen);
      List<DataRecord> open = current(stripe, "/v1/charges", Map.of()).values().stream()
          .filter(c -> c.getLong("amount") > c.getLong("amount_refunded") + 1 && !c.getBoolean("disputed"))
          .toList();
      assertThat(open).hasSizeGreaterThanOrEqualTo(2);
      DataRecord refunded = open.get(0);
      DataRecord disputed = open.get(1);

      clock.advance(Duration.ofSeconds(10));
      post(stripe, "/v1/refunds", Map.of("charge", refunded.getString("id"), "amount", "1"));
      clock.advance(Duration.ofSeconds(10));
      emulator.openDispute(disputed.getString("id"));
      clock.advance(Duration.ofSeconds(100));
      Instant second = clock.instant();

      assertThat(flow.runOnce().status()).isEqualTo(RunStatus.SUCCESS);
      Map<String, DataRecord> now = current(stripe, "/v1/charges", Map.of());
      List<ChangeEnvelope> run2 = sink.takeNew(seen);
      assertThat(versions(run2)).containsExactly(
          "UPSERT " + refunded.getString("id") + " @" + second, "UPSERT " + disputed.getString("id") + " @" + second);
      assertThat(upserted(run2).get(refunded.getString("id")).getLong("amount_refunded"))
          .isEqualTo(refunded.getLong("amount_refunded") + 1);
      assertThat(upserted(run2).get(disputed.getString("id")).getBoolean("disputed")).isTrue();
      assertThat(sink.state.currentState("charges")).isEqualTo(now);

      clock.advance(Duration.ofSeconds(100));
      assertThat(flow.runOnce().status()).isEqualTo(RunStatus.SUCCESS);
      assertThat(sink.takeNew(seen)).isEmpty();
      sink.assertNoVersionTwice(true);
    }
  }

  @Test
  void pagesCarryTheApiVersionStripeAnswered() {
    MutableClock clock = new MutableClock(T0);
    try (StripeEmulator emulator = StripeEmulator.builder().seed(24).objectsPerResource(5).clock(clock).start()) {
      StripeConnection stripe = connect(emulator);
      SourceConnection source = stripe.source("customers").withClock(clock).withSettle(Duration.ZERO);
      List<ChangeSource.Page> pages = new ArrayList<>();
      source.read(null, pages::add);
      assertThat(pages).isNotEmpty().allSatisfy(p -> assertThat(p.apiVersion()).isEqualTo("2025-09-30.clover"));

      String id = current(stripe, "/v1/customers", Map.of()).keySet().iterator().next();
      emulator.defaultApiVersion("2026-01-28.clover");
      post(stripe, "/v1/customers/" + id, Map.of("name", "read in the new version"));
      clock.advance(Duration.ofSeconds(5));
      List<ChangeSource.Page> later = new ArrayList<>();
      source.read(pages.get(pages.size() - 1).checkpoint(), later::add);
      assertThat(later).filteredOn(p -> !p.changes().isEmpty()).singleElement()
          .satisfies(p -> assertThat(p.apiVersion()).isEqualTo("2026-01-28.clover"));

      StripeConnection pinned = stripe.newBuilder().stripeVersion("2024-06-20").build();
      List<ChangeSource.Page> pinnedPages = new ArrayList<>();
      pinned.source("customers").withClock(clock).read(null, pinnedPages::add);
      assertThat(pinnedPages).allSatisfy(p -> assertThat(p.apiVersion()).isEqualTo("2024-06-20"));
    }
  }

  @Test
  void aRunStoppedInTheMiddleOfItsEventsResumesWithoutLosingOrRepeatingAChange() {
    MutableClock clock = new MutableClock(T0);
    try (StripeEmulator emulator = StripeEmulator.builder().seed(26).objectsPerResource(260).clock(clock).start()) {
      StripeConnection stripe = connect(emulator);
      SourceConnection source = stripe.source("customers").withClock(clock).withSettle(Duration.ZERO);
      ChangeFeedSupport.Updated updated = backfillThenUpdateCustomers(source, stripe, clock, 250);
      String[] checkpoint = {updated.checkpoint()};
      List<String> ids = updated.ids();

      // The sink takes the first page of changes, then the process dies.
      List<ChangeEnvelope> committed = new ArrayList<>();
      RuntimeException crash = new IllegalStateException("killed");
      try {
        source.read(checkpoint[0], page -> {
          if (!committed.isEmpty()) {
            throw crash;
          }
          committed.addAll(page.changes());
          checkpoint[0] = page.checkpoint();
        });
      } catch (IllegalStateException e) {
        assertThat(e).isSameAs(crash);
      }
      assertThat(committed).hasSizeBetween(1, 249);
      clock.advance(Duration.ofSeconds(30));
      source.read(checkpoint[0], page -> committed.addAll(page.changes()));

      assertThat(committed).extracting(ChangeEnvelope::id).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(ids);
      Map<String, DataRecord> now = current(stripe, "/v1/customers", Map.of());
      assertThat(upserted(committed)).allSatisfy((id, record) -> assertThat(record).isEqualTo(now.get(id)));
    }
  }

  @Test
  void withEventCopiesAnObjectChangedTwiceIsWrittenOnceAsItsNewestCopy() {
    MutableClock clock = new MutableClock(T0);
    try (StripeEmulator emulator = StripeEmulator.builder().seed(27).objectsPerResource(5).clock(clock).start()) {
      StripeConnection stripe = connect(emulator);
      SourceConnection source = stripe.source("customers").withClock(clock).withSettle(Duration.ZERO)
          .withEventObjects(EventObjects.EVENT_COPY);
      String[] checkpoint = {null};
      source.read(null, page -> checkpoint[0] = page.checkpoint());
      String id = current(stripe, "/v1/customers", Map.of()).keySet().iterator().next();
      clock.advance(Duration.ofSeconds(3));
      post(stripe, "/v1/customers/" + id, Map.of("name", "first"));
      clock.advance(Duration.ofSeconds(3));
      Instant secondChange = clock.instant();
      post(stripe, "/v1/customers/" + id, Map.of("name", "second"));
      clock.advance(Duration.ofSeconds(3));
      emulator.clearRequests();

      List<ChangeEnvelope> changes = new ArrayList<>();
      source.read(checkpoint[0], page -> changes.addAll(page.changes()));

      assertThat(emulator.requests()).as("nothing re-fetched").noneMatch(r -> r.path().equals("/v1/customers/" + id));
      assertThat(versions(changes)).containsExactly("UPSERT " + id + " @" + secondChange);
      assertThat(changes.get(0).record()).isEqualTo(ChangeFeedSupport.get(stripe, "/v1/customers/" + id));
    }
  }

  /**
   * Until the emulator grants restricted keys per-resource permissions, a reader (the pluggable
   * SPI) that refuses one path the way Stripe refuses a restricted key without the permission,
   * and reads everything else from the emulator.
   */
  static final class RefusingReader implements StripeResourceReader {
    private final StripeResourceReader real;
    private final String refused;
    private final String permission;

    RefusingReader(StripeResourceReader real, String refused, String permission) {
      this.real = real;
      this.refused = refused;
      this.permission = permission;
    }

    private void refuse(String path) {
      if (path.startsWith(refused)) {
        throw new StripePermissionException("GET " + path + " answered HTTP 403 invalid_request_error"
            + " [request req_stub403]: The provided key 'rk_test_****wxyz' does not have the required"
            + " permissions for this endpoint on account 'acct_1Stub'. Having the '" + permission
            + "' permission would allow this request to continue.", 403, "req_stub403",
            "invalid_request_error", null, null, null);
      }
    }

    @Override
    public ListPage list(String path, Map<String, String> params) {
      refuse(path);
      return real.list(path, params);
    }

    @Override
    public Fetched retrieve(String path, Map<String, String> params) {
      refuse(path);
      return real.retrieve(path, params);
    }
  }

  @Test
  void aKeyThatMayNotReadAResourceFailsThatResourceWithAClearMessageAndOthersGoOn() {
    MutableClock clock = new MutableClock(T0);
    try (StripeEmulator emulator = StripeEmulator.builder().seed(25).objectsPerResource(5).clock(clock).start()) {
      StripeConnection stripe = connect(emulator);
      StripeResourceReader restricted = new RefusingReader(StripeReaders.streaming(stripe), "/v1/charges",
          "rak_charge_read");
      Flow charges = stripe.source("charges").withReader(restricted).withClock(clock).into(new RecordingSink())
          .stateStore(StateStores.inMemory()).build();
      RecordingSink customersSink = new RecordingSink();
      Flow customers = stripe.source("customers").withReader(restricted).withClock(clock).into(customersSink)
          .stateStore(StateStores.inMemory()).build();

      FlowRun refused = charges.runOnce();
      FlowRun fine = customers.runOnce();

      assertThat(refused.status()).isEqualTo(RunStatus.FAILED);
      assertThat(refused.errors()).first().satisfies(e -> {
        assertThat(e.code()).isEqualTo("STRIPE_PERMISSION");
        assertThat(e.message()).startsWith("the key lacks read permission on charges:")
            .contains("Having the 'rak_charge_read' permission would allow this request to continue.");
      });
      assertThat(fine.status()).isEqualTo(RunStatus.SUCCESS);
      assertThat(customersSink.state.currentState("customers")).isEqualTo(current(stripe, "/v1/customers", Map.of()));
    }
  }

  @Test
  void aKeyThatMayReadAResourceButNotItsEventsSaysSo() {
    MutableClock clock = new MutableClock(T0);
    try (StripeEmulator emulator = StripeEmulator.builder().seed(28).objectsPerResource(5).clock(clock).start()) {
      StripeConnection stripe = connect(emulator);
      StripeResourceReader noEvents = new RefusingReader(StripeReaders.streaming(stripe), "/v1/events",
          "rak_event_read");
      Flow charges = stripe.source("charges").withReader(noEvents).withClock(clock).into(new RecordingSink())
          .stateStore(StateStores.inMemory()).build();
      assertThat(charges.runOnce().status()).as("the backfill reads no event").isEqualTo(RunStatus.SUCCESS);
      clock.advance(Duration.ofMinutes(5));

      FlowRun refused = charges.runOnce();

      assertThat(refused.status()).isEqualTo(RunStatus.FAILED);
      assertThat(refused.errors()).first().satisfies(e -> assertThat(e.message())
          .startsWith("the key lacks read permission on events (which charges reads its changes from):")
          .contains("turn events off for this source").contains("rak_event_read"));
    }
  }
}
