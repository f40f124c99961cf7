package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stripe's list semantics over 10,000 generated charges. */
class ListSemanticsTest {
  static StripeEmulator emulator;
  static StripeHttp http;
  static List<DataRecord> all;

  @BeforeAll
  static void start() {
    emulator = StripeEmulator.builder().seed(7).objectsPerResource(10_000)
        .clock(StripeEmulatorTest.CLOCK).build().start();
    http = new StripeHttp(emulator.baseUrl());
    all = StripeEmulatorTest.pageAll(http, "charges", 100, "");
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void tenThousandChargesPagedThroughCreatedWindowsComeOnceEach() {
    assertThat(all).hasSize(10_000);
    assertThat(ids(all)).doesNotHaveDuplicates();

    // Same-second groups exist, and some straddle a page boundary of the full walk.
    int straddling = 0;
    for (int i = 99; i + 1 < all.size(); i += 100) {
      if (all.get(i).getLong("created").equals(all.get(i + 1).getLong("created"))) {
        straddling++;
      }
    }
    Map<Long, Integer> perSecond = new HashMap<>();
    all.forEach(r -> perSecond.merge(r.getLong("created"), 1, Integer::sum));
    assertThat(perSecond.values().stream().filter(n -> n >= 4).count()).isGreaterThan(50);
    assertThat(straddling).isGreaterThan(0);

    // Windows whose edges are seconds holding several objects, as an incremental sync makes them.
    List<Long> edges = new ArrayList<>();
    perSecond.entrySet().stream().filter(e -> e.getValue() >= 3).map(Map.Entry::getKey).sorted()
        .forEach(edges::add);
    List<Long> cuts = new ArrayList<>();
    for (int k = 1; k < 8; k++) {
      cuts.add(edges.get(edges.size() * k / 8));
    }
    long oldest = all.get(all.size() - 1).getLong("created");

    // [gte, lt) windows
    List<String> seen = new ArrayList<>();
    long from = oldest;
    for (int k = 0; k <= cuts.size(); k++) {
      String upper = k < cuts.size() ? "&created[lt]=" + cuts.get(k) : "";
      List<DataRecord> window = StripeEmulatorTest.pageAll(http, "charges", 100,
          "&created[gte]=" + from + upper);
      for (DataRecord r : window) {
        assertThat(r.getLong("created")).isGreaterThanOrEqualTo(from);
      }
      seen.addAll(ids(window));
      if (k < cuts.size()) {
        from = cuts.get(k);
      }
    }
    assertThat(seen).hasSize(10_000).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ids(all));

    // (gt, lte] windows over the middle of the history, with a page size that splits groups
    List<String> seen2 = new ArrayList<>();
    long after = cuts.get(1);
    for (int k = 2; k <= 4; k++) {
      long upTo = cuts.get(k);
      seen2.addAll(ids(StripeEmulatorTest.pageAll(http, "charges", 37,
          "&created[gt]=" + after + "&created[lte]=" + upTo)));
      after = upTo;
    }
    long lowest = cuts.get(1);
    long highest = cuts.get(4);
    assertThat(seen2).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(all.stream()
        .filter(r -> r.getLong("created") > lowest && r.getLong("created") <= highest)
        .toList()));
  }

  @Test
  void createdEqualsOneSecondGivesExactlyThatSecond() {
    Map<Long, Integer> perSecond = new HashMap<>();
    all.forEach(r -> perSecond.merge(r.getLong("created"), 1, Integer::sum));
    long second = perSecond.entrySet().stream().filter(e -> e.getValue() >= 3)
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    List<DataRecord> got = StripeEmulatorTest.pageAll(http, "charges", 2, "&created=" + second);
    assertThat(ids(got)).containsExactlyElementsOf(
        ids(all.stream().filter(r -> r.getLong("created") == second).toList()));
  }

  @Test
  void endingBeforePagesBackwardsThroughTheSameSequence() {
    List<DataRecord> backwards = new ArrayList<>();
    int from = 3_000;
    String before = all.get(from).getString("id");
    while (true) {
      StripeHttp.Answer a = http.get("/v1/charges?limit=100&ending_before=" + before);
      assertThat(a.status()).isEqualTo(200);
      List<Object> data = a.body().getList("data");
      List<DataRecord> page = new ArrayList<>();
      data.forEach(o -> page.add((DataRecord) o));
      backwards.addAll(0, page);
      if (!a.body().getBoolean("has_more")) {
        break;
      }
      before = page.get(0).getString("id");
    }
    assertThat(ids(backwards)).containsExactlyElementsOf(ids(all.subList(0, from)));
  }

  @Test
  void startingAfterAndEndingBeforeTogetherIs400() {
    String id = all.get(5).getString("id");
    StripeHttp.Answer a = http.get("/v1/charges?starting_after=" + id + "&ending_before=" + id);
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().getString("type")).isEqualTo("invalid_request_error");
    assertThat(a.error().getString("message")).contains("ending_before", "starting_after");
  }

  @Test
  void unknownOrMalformedParametersAre400() {
    StripeHttp.Answer unknown = http.get("/v1/charges?colour=red");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.error().getString("code")).isEqualTo("parameter_unknown");
    assertThat(unknown.error().getString("param")).isEqualTo("colour");
    assertThat(unknown.error().getString("message")).isEqualTo("Received unknown parameter: colour");

    StripeHttp.Answer op = http.get("/v1/charges?created[after]=5");
    assertThat(op.error().getString("code")).isEqualTo("parameter_unknown");
    assertThat(op.error().getString("param")).isEqualTo("created[after]");

    StripeHttp.Answer notNumber = http.get("/v1/charges?created[gte]=yesterday");
    assertThat(notNumber.status()).isEqualTo(400);
    assertThat(notNumber.error().getString("param")).isEqualTo("created[gte]");

    StripeHttp.Answer badCursor = http.get("/v1/charges?starting_after=ch_nope");
    assertThat(badCursor.status()).isEqualTo(400);
    assertThat(badCursor.error().getString("code")).isEqualTo("resource_missing");
    assertThat(badCursor.error().getString("param")).isEqualTo("starting_after");

    assertThat(http.get("/v1/charges/" + all.get(0).getString("id") + "?limit=3").status())
        .isEqualTo(400);
    // resource-specific filters are known
    assertThat(http.get("/v1/charges?customer=cus_x&limit=3").status()).isEqualTo(200);
  }

  @Test
  void filtersByCustomer() {
    String customer = all.stream().map(r -> r.getString("customer")).filter(c -> c != null)
        .findFirst().orElseThrow();
    List<DataRecord> got = StripeEmulatorTest.pageAll(http, "charges", 100, "&customer=" + customer);
    assertThat(ids(got)).containsExactlyElementsOf(
        ids(all.stream().filter(r -> customer.equals(r.getString("customer"))).toList()));
  }

  @Test
  void expandReplacesIdsByObjects() {
    StripeHttp.Answer a = http.get("/v1/charges?limit=50&expand[]=data.customer&expand[]=data.balance_transaction");
    assertThat(a.status()).isEqualTo(200);
    int expanded = 0;
    for (Object o : a.body().getList("data")) {
      DataRecord charge = (DataRecord) o;
      Object customer = charge.get("customer");
      if (customer != null) {
        assertThat(customer).isInstanceOf(DataRecord.class);
        DataRecord c = (DataRecord) customer;
        assertThat(c.getString("object")).isEqualTo("customer");
        assertThat(http.get("/v1/customers/" + c.getString("id")).body()).isEqualTo(c);
        expanded++;
      }
    }
    assertThat(expanded).isGreaterThan(10);

    DataRecord refund = (DataRecord) http.get("/v1/refunds?limit=1").body().getList("data").get(0);
    StripeHttp.Answer r = http.get("/v1/refunds/" + refund.getString("id")
        + "?expand[]=charge&expand[]=charge.balance_transaction");
    DataRecord charge = r.body().getRecord("charge");
    assertThat(charge.getString("id")).isEqualTo(refund.getString("charge"));
    assertThat(charge.getString("object")).isEqualTo("charge");

    StripeHttp.Answer bad = http.get("/v1/refunds/" + refund.getString("id") + "?expand[]=amount");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.error().getString("param")).isEqualTo("expand");
    assertThat(http.get("/v1/charges?expand[]=customer").status()).isEqualTo(400);
  }

  static List<String> ids(List<DataRecord> records) {
    List<String> out = new ArrayList<>();
    records.forEach(r -> out.add(r.getString("id")));
    return out;
  }
}
