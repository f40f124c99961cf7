package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeFixtures;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.xdm.DataRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every catalog resource, links between objects, sub-lists and events. */
class ResourcesTest {
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-06-15T12:00:00Z"));
  static StripeEmulator emulator;
  static StripeHttp http;

  @BeforeAll
  static void start() {
    emulator = StripeEmulator.builder().seed(11).objectsPerResource(200).clock(CLOCK).build().start();
    http = new StripeHttp(emulator.baseUrl());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  static Stream<String> resources() {
    return StripeCatalog.all().stream().map(StripeResource::name);
  }

  @ParameterizedTest
  @MethodSource("resources")
  void everyCatalogResourceListsAndRetrievesObjectsShapedLikeItsFixture(String name) {
    StripeResource r = StripeCatalog.require(name);
    String extra = name.equals("subscriptions") ? "&status=all" : "";
    StripeHttp.Answer page = http.get(r.path() + "?limit=25" + extra);
    assertThat(page.status()).as("%s", page.body()).isEqualTo(200);
    List<Object> data = page.body().getList("data");
    assertThat(data).hasSize(25);
    DataRecord fixture = StripeFixtures.get(r.objectType());
    for (Object o : data) {
      DataRecord object = (DataRecord) o;
      assertThat(object.getString("object")).isEqualTo(r.objectType());
      assertThat(object.getString("id")).startsWith(r.idPrefix());
      if (!name.equals("events")) {
        StripeEmulatorTest.assertSameShape(fixture, object, name);
      }
    }
    DataRecord first = (DataRecord) data.get(0);
    StripeHttp.Answer one = http.get(r.path() + "/" + first.getString("id"));
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body()).isEqualTo(first);
  }

  @Test
  void linksPointAtObjectsThatExist() {
    for (Object o : http.get("/v1/refunds?limit=20").body().getList("data")) {
      String charge = ((DataRecord) o).getString("charge");
      assertThat(http.get("/v1/charges/" + charge).status()).as(charge).isEqualTo(200);
    }
    for (Object o : http.get("/v1/subscriptions?limit=20").body().getList("data")) {
      String customer = ((DataRecord) o).getString("customer");
      assertThat(http.get("/v1/customers/" + customer).status()).as(customer).isEqualTo(200);
    }
    for (Object o : http.get("/v1/invoices?limit=20").body().getList("data")) {
      String customer = ((DataRecord) o).getString("customer");
      assertThat(http.get("/v1/customers/" + customer).status()).as(customer).isEqualTo(200);
    }
  }

  @Test
  void aChargesRefundsListAtItsRefundsUrl() {
    DataRecord refund = (DataRecord) http.get("/v1/refunds?limit=1").body().getList("data").get(0);
    String charge = refund.getString("charge");
    DataRecord chargeObject = http.get("/v1/charges/" + charge).body();
    String url = chargeObject.getRecord("refunds").getString("url");
    assertThat(url).isEqualTo("/v1/charges/" + charge + "/refunds");
    StripeHttp.Answer a = http.get(url + "?limit=100");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().getList("data")).contains(refund)
        .allMatch(r -> charge.equals(((DataRecord) r).getString("charge")));
    assertThat(http.get("/v1/charges/ch_missing/refunds").status()).isEqualTo(404);
  }

  @Test
  void subscriptionsLeaveOutCanceledUnlessStatusAll() {
    List<DataRecord> all = StripeEmulatorTest.pageAll(http, "subscriptions", 100, "&status=all");
    List<DataRecord> plain = StripeEmulatorTest.pageAll(http, "subscriptions", 100, "");
    List<DataRecord> canceled = StripeEmulatorTest.pageAll(http, "subscriptions", 100, "&status=canceled");
    assertThat(all).hasSize(200);
    assertThat(canceled).isNotEmpty().allMatch(s -> s.getString("status").equals("canceled"));
    assertThat(plain).noneMatch(s -> s.getString("status").equals("canceled"));
    assertThat(plain.size() + canceled.size()).isEqualTo(200);
    assertThat(http.get("/v1/subscriptions?status=bogus").status()).isEqualTo(400);
  }

  @Test
  void invoiceLinesStopAtTenAndPageOnTheirOwnEndpoint() {
    DataRecord invoice = StripeEmulatorTest.pageAll(http, "invoices", 100, "").stream()
        .filter(i -> i.getRecord("lines").getBoolean("has_more"))
        .findFirst().orElseThrow();
    DataRecord embedded = invoice.getRecord("lines");
    assertThat(embedded.getList("data")).hasSize(10);
    String url = embedded.getString("url");
    assertThat(url).isEqualTo("/v1/invoices/" + invoice.getString("id") + "/lines");

    List<DataRecord> lines = new ArrayList<>();
    String after = null;
    while (true) {
      StripeHttp.Answer a = http.get(url + "?limit=3" + (after == null ? "" : "&starting_after=" + after));
      assertThat(a.status()).isEqualTo(200);
      a.body().getList("data").forEach(o -> lines.add((DataRecord) o));
      if (!a.body().getBoolean("has_more")) {
        break;
      }
      after = lines.get(lines.size() - 1).getString("id");
    }
    assertThat(lines.size()).isGreaterThan(10);
    assertThat(lines.subList(0, 10)).containsExactlyElementsOf(
        embedded.getList("data").stream().map(o -> (DataRecord) o).toList());
    long sum = lines.stream().mapToLong(l -> l.getLong("amount")).sum();
    assertThat(invoice.getLong("total")).isEqualTo(sum);
    assertThat(lines).allMatch(l -> l.getString("invoice").equals(invoice.getString("id")));
  }

  @Test
  void subscriptionItemsHaveTheirOwnListEndpoint() {
    DataRecord sub = (DataRecord) http.get("/v1/subscriptions?limit=1").body().getList("data").get(0);
    DataRecord items = sub.getRecord("items");
    assertThat(items.getString("url")).isEqualTo("/v1/subscription_items?subscription=" + sub.getString("id"));
    StripeHttp.Answer a = http.get(items.getString("url"));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().getList("data")).isEqualTo(items.getList("data"));
    String itemId = ((DataRecord) items.getList("data").get(0)).getString("id");
    assertThat(itemId).startsWith("si_");
    assertThat(http.get("/v1/subscription_items/" + itemId).body().getString("subscription"))
        .isEqualTo(sub.getString("id"));
    StripeHttp.Answer missing = http.get("/v1/subscription_items");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.error().getString("param")).isEqualTo("subscription");
  }

  @Test
  void eventsFilterByTypeWildcardAndTypesAndKeepThirtyDays() {
    List<DataRecord> all = StripeEmulatorTest.pageAll(http, "events", 100, "");
    assertThat(all.size()).isEqualTo(200);
    long now = CLOCK.instant().getEpochSecond();
    assertThat(all).allMatch(e -> e.getLong("created") >= now - 30L * 86_400);
    DataRecord some = all.get(0);
    String source = some.getRecord("data").getRecord("object").getString("object");
    assertThat(some.getString("type")).startsWith(source.equals("subscription") ? "customer.subscription" : source);

    List<DataRecord> customers = StripeEmulatorTest.pageAll(http, "events", 100, "&type=customer.*");
    assertThat(customers).isNotEmpty().allMatch(e -> e.getString("type").startsWith("customer."));
    assertThat(customers).anyMatch(e -> e.getString("type").startsWith("customer.subscription."));

    List<DataRecord> two = StripeEmulatorTest.pageAll(http, "events", 100,
        "&types[]=charge.succeeded&types[]=customer.created");
    assertThat(two).isNotEmpty()
        .allMatch(e -> List.of("charge.succeeded", "customer.created").contains(e.getString("type")));
    assertThat(two.size()).isEqualTo(all.stream()
        .filter(e -> List.of("charge.succeeded", "customer.created").contains(e.getString("type"))).count());
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 21; i++) {
      many.append("&types[]=t").append(i);
    }
    assertThat(http.get("/v1/events?" + many.substring(1)).status()).isEqualTo(400);
  }

  @Test
  void eventsOlderThanThirtyDaysDisappear() {
    MutableClock clock = new MutableClock(Instant.parse("2025-06-15T12:00:00Z"));
    try (StripeEmulator e = StripeEmulator.builder().objectsPerResource(50).clock(clock).build().start()) {
      StripeHttp h = new StripeHttp(e.baseUrl());
      DataRecord event = (DataRecord) h.get("/v1/events?limit=1").body().getList("data").get(0);
      assertThat(h.get("/v1/events/" + event.getString("id")).status()).isEqualTo(200);
      clock.advance(Duration.ofDays(31));
      assertThat(h.get("/v1/events").body().getList("data")).isEmpty();
      assertThat(h.get("/v1/events/" + event.getString("id")).status()).isEqualTo(404);
    }
  }
}
