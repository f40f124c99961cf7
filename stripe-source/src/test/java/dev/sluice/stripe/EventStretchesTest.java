package dev.sluice.stripe;

import static dev.sluice.stripe.ChangeFeedSupport.backfillThenUpdateCustomers;
import static dev.sluice.stripe.ChangeFeedSupport.connect;
import static dev.sluice.stripe.ChangeFeedSupport.current;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.stripe.ChangeFeedSupport.MutableClock;
import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.internal.EventReader;
import dev.sluice.stripe.internal.SyncState;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A poll with more events than it may hold reads them in shorter stretches, losing and repeating none. */
class EventStretchesTest {
  @Test
  void aPollWithMoreEventsThanItMayHoldReadsShorterStretchesOldestFirst() {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    try (StripeEmulator emulator = StripeEmulator.builder().seed(41).objectsPerResource(300).clock(clock).start()) {
      StripeConnection stripe = connect(emulator);
      SourceConnection source = stripe.source("customers").withClock(clock).withSettle(Duration.ZERO);
      ChangeFeedSupport.Updated updated = backfillThenUpdateCustomers(source, stripe, clock, 250);
      String[] checkpoint = {updated.checkpoint()};
      List<String> ids = updated.ids();
      long upper = clock.instant().getEpochSecond();

      EventReader reader = new EventReader(StripeReaders.streaming(stripe), StripeCatalog.require("customers"),
          false, clock, 0, 300, 100);
      List<EventReader.EventPage> pages = new ArrayList<>();
      emulator.clearRequests();
      reader.read(SyncState.parse(checkpoint[0]).events(), pages::add);

      List<ChangeEnvelope> changes = pages.stream().flatMap(p -> p.changes().stream()).toList();
      // Oldest first, each once, each the object as it is now.
      assertThat(changes).extracting(ChangeEnvelope::id).containsExactlyElementsOf(ids);
      Map<String, DataRecord> now = current(stripe, "/v1/customers", Map.of());
      assertThat(changes).allSatisfy(c -> assertThat(c.record()).isEqualTo(now.get(c.id())));
      // The cursor only moves forward, and ends at the poll's upper bound.
      List<Long> throughs = pages.stream().map(p -> p.after().through()).toList();
      assertThat(throughs).isSorted().last().isEqualTo(upper);
      assertThat(pages).allSatisfy(p -> assertThat(p.changes()).hasSizeLessThanOrEqualTo(100));
      // It did cut the poll: the event lists asked for several starting seconds.
      assertThat(emulator.requests().stream().filter(r -> r.path().equals("/v1/events"))
          .map(r -> r.query().replaceAll(".*created%5Bgte%5D=(\\d+).*", "$1")).distinct().count())
          .isGreaterThan(2);
    }
  }
}
