package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.xdm.DataRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What makes the emulator's changes look like Stripe's: refunds and disputes change their charge
 * and say so in the events Stripe sends, events can be listed late and out of order, and every
 * answer says which API version it is in.
 */
class ChangeRealismTest {
  MutableClock clock = new MutableClock(Instant.parse("2025-06-15T12:00:00Z"));
  StripeEmulator emulator;
  StripeHttp http;

  @BeforeEach
  void start() {
    emulator = StripeEmulator.builder().seed(9).objectsPerResource(20).clock(clock).build().start();
    http = new StripeHttp(emulator.baseUrl());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  DataRecord refundableCharge(int skip) {
    List<Object> charges = http.get("/v1/charges?limit=100").body().getList("data");
    return charges.stream().map(o -> (DataRecord) o)
        .filter(c -> c.getLong("amount") > c.getLong("amount_refunded") + 10 && !c.getBoolean("disputed"))
        .skip(skip).findFirst().orElseThrow();
  }

  List<String> eventTypes(String query) {
    List<String> types = new ArrayList<>();
    for (Object o : http.get("/v1/events?limit=100&" + query).body().getList("data")) {
      types.add(((DataRecord) o).getString("type"));
    }
    return types;
  }

  @Test
  void aRefundTakesItsAmountFromItsChargeAndEmitsStripesEvents() {
    DataRecord charge = refundableCharge(0);
    String id = charge.getString("id");
    long before = charge.getLong("amount_refunded");
    long left = charge.getLong("amount") - before;
    clock.advance(Duration.ofSeconds(30));

    StripeHttp.Answer partial = http.post("/v1/refunds", "charge=" + id + "&amount=7");
    assertThat(partial.status()).as("%s", partial.body()).isEqualTo(200);
    DataRecord refund = partial.body();
    assertThat(refund.getString("id")).startsWith("re_");
    assertThat(refund.getLong("amount")).isEqualTo(7L);
    assertThat(refund.getString("charge")).isEqualTo(id);
    assertThat(refund.getString("status")).isEqualTo("succeeded");
    DataRecord after = http.get("/v1/charges/" + id).body();
    assertThat(after.getLong("amount_refunded")).isEqualTo(before + 7);
    assertThat(after.getBoolean("refunded")).isFalse();
    assertThat(after.getRecord("refunds").getList("data")).first().isEqualTo(refund);
    // Newest first: the refund's own event after the charge's.
    assertThat(eventTypes("created[gte]=" + clock.instant().getEpochSecond()))
        .containsExactly("refund.created", "charge.refunded");
    DataRecord chargeRefunded = (DataRecord) http.get("/v1/events?limit=1&type=charge.refunded").body()
        .getList("data").get(0);
    assertThat(chargeRefunded.getPath("data.object.amount_refunded")).isEqualTo(before + 7);
    assertThat(chargeRefunded.getPath("data.previous_attributes.amount_refunded")).isEqualTo(before);

    // More than what is left is refused; the rest refunds the charge in full.
    assertThat(http.post("/v1/refunds", "charge=" + id + "&amount=" + left).status()).isEqualTo(400);
    assertThat(http.post("/v1/refunds", "charge=" + id).status()).isEqualTo(200);
    DataRecord full = http.get("/v1/charges/" + id).body();
    assertThat(full.getLong("amount_refunded")).isEqualTo(charge.getLong("amount"));
    assertThat(full.getBoolean("refunded")).isTrue();
    assertThat(http.post("/v1/refunds", "charge=" + id).status()).isEqualTo(400);

    clock.advance(Duration.ofSeconds(30));
    assertThat(http.post("/v1/refunds/" + refund.getString("id"), "metadata[reason]=late").status()).isEqualTo(200);
    assertThat(eventTypes("created[gte]=" + clock.instant().getEpochSecond()))
        .containsExactlyInAnyOrder("refund.updated", "charge.refund.updated");
  }

  @Test
  void aDisputeMarksItsChargeAndEmitsChargeDisputeCreated() {
    DataRecord charge = refundableCharge(1);
    String id = charge.getString("id");
    clock.advance(Duration.ofSeconds(30));

    String dispute = emulator.openDispute(id);

    assertThat(dispute).startsWith("dp_");
    assertThat(http.get("/v1/charges/" + id).body().getBoolean("disputed")).isTrue();
    DataRecord listed = http.get("/v1/disputes/" + dispute).body();
    assertThat(listed.getString("charge")).isEqualTo(id);
    assertThat(listed.getString("status")).isEqualTo("needs_response");
    assertThat(listed.getLong("amount")).isEqualTo(charge.getLong("amount") - charge.getLong("amount_refunded"));
    DataRecord event = (DataRecord) http.get("/v1/events?limit=100&created[gte]="
        + clock.instant().getEpochSecond()).body().getList("data").get(0);
    assertThat(event.getString("type")).isEqualTo("charge.dispute.created");
    assertThat(event.getPath("data.object.id")).isEqualTo(dispute);
    assertThat(event.getPath("request.id")).isNull();
    assertThatThrownBy(() -> emulator.openDispute(id)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already disputed");
    assertThatThrownBy(() -> emulator.openDispute("ch_doesNotExist")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lateEventsShowUpAfterLaterOnesWithinTheMaximumLateness() {
    emulator.faults().eventLateness(Duration.ofSeconds(100));
    clock.advance(Duration.ofSeconds(30));
    long start = clock.instant().getEpochSecond();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      written.add(http.post("/v1/customers", "name=c" + i).body().getString("id"));
      clock.advance(Duration.ofSeconds(1));
    }
    String query = "created[gte]=" + start + "&type=customer.created";
    List<String> seenAt40 = customerIds(query);
    // Some are not listed yet, and some listed ones were created after one that is not.
    assertThat(seenAt40).hasSizeLessThan(40);
    int firstMissing = written.indexOf(written.stream().filter(id -> !seenAt40.contains(id)).findFirst().orElseThrow());
    assertThat(written.subList(firstMissing + 1, 40)).containsAnyElementsOf(seenAt40);

    clock.advance(Duration.ofSeconds(100));
    assertThat(customerIds(query)).containsExactlyInAnyOrderElementsOf(written);
    emulator.faults().clear();
  }

  List<String> customerIds(String eventQuery) {
    List<String> ids = new ArrayList<>();
    for (Object o : http.get("/v1/events?limit=100&" + eventQuery).body().getList("data")) {
      ids.add((String) ((DataRecord) o).getPath("data.object.id"));
    }
    return ids;
  }

  @Test
  void everyAnswerSaysItsApiVersionWhichTheAccountsDefaultSetsUnlessTheRequestPinsOne() {
    assertThat(http.get("/v1/customers?limit=1").headers().get("Stripe-Version")).isEqualTo("2025-09-30.clover");
    StripeHttp.Answer pinned = http.call(new Request.Builder().url(emulator.baseUrl() + "/v1/customers?limit=1")
        .header("Stripe-Version", "2024-06-20"));
    assertThat(pinned.headers().get("Stripe-Version")).isEqualTo("2024-06-20");

    emulator.defaultApiVersion("2026-01-28.clover");
    assertThat(emulator.defaultApiVersion()).isEqualTo("2026-01-28.clover");
    assertThat(http.get("/v1/customers?limit=1").headers().get("Stripe-Version")).isEqualTo("2026-01-28.clover");
    // Errors too, and the events of such requests.
    assertThat(http.withKey("sk_live_nope").get("/v1/customers").headers().get("Stripe-Version"))
        .isEqualTo("2026-01-28.clover");
    clock.advance(Duration.ofSeconds(10));
    http.post("/v1/customers", "name=versioned");
    DataRecord event = (DataRecord) http.get("/v1/events?limit=1").body().getList("data").get(0);
    assertThat(event.getString("api_version")).isEqualTo("2026-01-28.clover");

    try (StripeEmulator other = StripeEmulator.builder().objectsPerResource(1).defaultApiVersion("2023-10-16").start()) {
      assertThat(new StripeHttp(other.baseUrl()).get("/v1/customers").headers().get("Stripe-Version"))
          .isEqualTo("2023-10-16");
    }
  }
}
