package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeFixtures;
import dev.sluice.xdm.DataRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StripeEmulatorTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-15T12:00:00Z"), ZoneOffset.UTC);
  static StripeEmulator emulator;
  static StripeHttp http;

  @BeforeAll
  static void start() {
    emulator = StripeEmulator.builder().seed(42).objectsPerResource(300).clock(CLOCK).build().start();
    http = new StripeHttp(emulator.baseUrl());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  static List<String> documented() {
    return StripeCatalog.DOCUMENTED_RESOURCES;
  }

  /** Pages through a whole list; returns the objects in order. */
  static List<DataRecord> pageAll(StripeHttp http, String resource, int limit, String extra) {
    List<DataRecord> all = new ArrayList<>();
    String after = null;
    for (int pages = 0; pages < 100_000; pages++) {
      String q = "/v1/" + resource + "?limit=" + limit + extra
          + (after != null ? "&starting_after=" + after : "");
      StripeHttp.Answer a = http.get(q);
      assertThat(a.status()).as("%s %s", q, a.body()).isEqualTo(200);
      assertThat(a.body().getString("object")).isEqualTo("list");
      assertThat(a.body().getString("url")).isEqualTo("/v1/" + resource);
      List<Object> data = a.body().getList("data");
      assertThat(data.size()).isLessThanOrEqualTo(limit);
      for (Object o : data) {
        all.add((DataRecord) o);
      }
      if (!a.body().getBoolean("has_more")) {
        return all;
      }
      assertThat(data).isNotEmpty();
      after = ((DataRecord) data.get(data.size() - 1)).getString("id");
    }
    throw new AssertionError("too many pages");
  }

  @ParameterizedTest
  @MethodSource("documented")
  void pagingReturnsEveryObjectOnceNewestFirst(String resource) {
    String extra = resource.equals("subscriptions") ? "&status=all" : "";
    List<DataRecord> all = pageAll(http, resource, 100, extra);
    assertThat(all).hasSize(300);
    Set<String> ids = new HashSet<>();
    String prefix = StripeCatalog.require(resource).idPrefix();
    long previous = Long.MAX_VALUE;
    for (DataRecord r : all) {
      assertThat(ids.add(r.getString("id"))).as("duplicate %s", r.getString("id")).isTrue();
      assertThat(r.getString("id")).startsWith(prefix);
      assertThat(r.getString("object")).isEqualTo(StripeCatalog.require(resource).objectType());
      assertThat(r.getLong("created")).isLessThanOrEqualTo(previous);
      previous = r.getLong("created");
    }
    // a small page size gives the same sequence
    assertThat(pageAll(http, resource, 7, extra)).isEqualTo(all);
  }

  @Test
  void manyObjectsShareASecondAndCreatedSpansYears() {
    List<DataRecord> all = pageAll(http, "charges", 100, "");
    Set<Long> seconds = new HashSet<>();
    for (DataRecord r : all) {
      seconds.add(r.getLong("created"));
    }
    assertThat(seconds.size()).isLessThan(all.size() * 3 / 4);
    long newest = all.get(0).getLong("created");
    long oldest = all.get(all.size() - 1).getLong("created");
    assertThat(newest - oldest).isGreaterThan(2L * 365 * 86_400);
    assertThat(newest).isLessThanOrEqualTo(CLOCK.instant().getEpochSecond());
  }

  @ParameterizedTest
  @MethodSource("documented")
  void objectsHaveTheirFixturesKeysInOrderAndJsonTypes(String resource) {
    DataRecord fixture = StripeFixtures.get(StripeCatalog.require(resource).objectType());
    String extra = resource.equals("subscriptions") ? "&status=all" : "";
    for (DataRecord r : pageAll(http, resource, 100, extra)) {
      assertSameShape(fixture, r, resource);
    }
  }

  /** Same keys in the same order, recursively; a non-null fixture value keeps its JSON type. */
  static void assertSameShape(Object fixture, Object actual, String path) {
    if (fixture instanceof DataRecord && actual instanceof DataRecord) {
      DataRecord f = (DataRecord) fixture;
      DataRecord a = (DataRecord) actual;
      if (path.endsWith("metadata")) {
        return;
      }
      assertThat(new ArrayList<>(a.keys())).as(path).containsExactlyElementsOf(f.keys());
      for (String k : f.keys()) {
        assertSameShape(f.get(k), a.get(k), path + "." + k);
      }
    } else if (fixture instanceof List && actual instanceof List) {
      List<?> f = (List<?>) fixture;
      List<?> a = (List<?>) actual;
      for (int i = 0; i < a.size() && !f.isEmpty(); i++) {
        assertSameShape(f.get(Math.min(i, f.size() - 1)), a.get(i), path + "[" + i + "]");
      }
    } else if (fixture != null && actual != null) {
      assertThat(kind(actual)).as(path).isEqualTo(kind(fixture));
    }
  }

  private static String kind(Object v) {
    return v instanceof Long || v instanceof java.math.BigInteger ? "integer"
        : v.getClass().getSimpleName();
  }

  @Test
  void theBalanceAnswersInTestMode() {
    StripeHttp.Answer a = http.get("/v1/balance");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().getString("object")).isEqualTo("balance");
    assertThat(a.body().getBoolean("livemode")).isFalse();
    assertThat(a.body().getList("available")).isNotEmpty();
  }

  @Test
  void limitOutOfRangeIsA400NamingLimit() {
    for (String bad : List.of("0", "101", "-1", "abc", "")) {
      StripeHttp.Answer a = http.get("/v1/charges?limit=" + bad);
      assertThat(a.status()).as(bad).isEqualTo(400);
      assertThat(a.error().getString("type")).isEqualTo("invalid_request_error");
      assertThat(a.error().getString("param")).isEqualTo("limit");
      assertThat(a.error().getString("message")).isNotBlank();
      assertThat(a.headers().get("Request-Id")).startsWith("req_");
    }
    assertThat(http.get("/v1/charges?limit=1").body().getList("data")).hasSize(1);
    assertThat(http.get("/v1/charges?limit=100").body().getList("data")).hasSize(100);
    assertThat(http.get("/v1/charges").body().getList("data")).hasSize(10);
  }

  @Test
  void missingOrWrongKeyIs401AndTheKeyIsMasked() {
    StripeHttp.Answer none = http.withKey(null).get("/v1/charges");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.error().getString("type")).isEqualTo("invalid_request_error");
    assertThat(none.headers().get("Request-Id")).startsWith("req_");

    String live = "sk_live_51HxSecretValueabcd";
    StripeHttp.Answer wrong = http.withKey(live).get("/v1/charges");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.error().getString("message"))
        .isEqualTo("Invalid API Key provided: sk_live_****abcd")
        .doesNotContain("SecretValue");
    assertThat(http.withKey("nonsense").get("/v1/charges").error().getString("message"))
        .isEqualTo("Invalid API Key provided: ****");
    assertThat(http.withKey("rk_test_restricted0001").get("/v1/charges").status()).isEqualTo(200);
  }

  @Test
  void retrieveGivesTheListedObjectAndUnknownIdsAre404() {
    DataRecord first = (DataRecord) http.get("/v1/customers?limit=3").body().getList("data").get(2);
    StripeHttp.Answer a = http.get("/v1/customers/" + first.getString("id"));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo(first);
    assertThat(a.body().toJson()).isEqualTo(first.toJson());

    StripeHttp.Answer missing = http.get("/v1/customers/cus_doesnotexist");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.error().getString("code")).isEqualTo("resource_missing");
    assertThat(missing.error().getString("message")).isEqualTo("No such customer: 'cus_doesnotexist'");
    assertThat(missing.headers().get("Request-Id")).startsWith("req_");

    // an id of another resource is unknown here
    assertThat(http.get("/v1/charges/" + first.getString("id")).status()).isEqualTo(404);
  }

  @Test
  void unknownPathIs404WithTheErrorEnvelope() {
    StripeHttp.Answer a = http.get("/v1/nothing_here");
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.error().getString("message")).contains("Unrecognized request URL (GET: /v1/nothing_here)");
  }

  @Test
  void sameSeedGivesTheSameDataAndAnotherSeedOther() {
    try (StripeEmulator twin = StripeEmulator.builder().seed(42).objectsPerResource(300)
            .clock(CLOCK).build().start();
        StripeEmulator other = StripeEmulator.builder().seed(43).objectsPerResource(300)
            .clock(CLOCK).build().start()) {
      StripeHttp twinHttp = new StripeHttp(twin.baseUrl());
      for (String resource : documented()) {
        String q = "/v1/" + resource + "?limit=100"
            + (resource.equals("subscriptions") ? "&status=all" : "");
        assertThat(twinHttp.get(q).body().toJson()).as(resource)
            .isEqualTo(http.get(q).body().toJson());
        assertThat(new StripeHttp(other.baseUrl()).get(q).body().toJson()).as(resource)
            .isNotEqualTo(http.get(q).body().toJson());
      }
      assertThat(twin.baseUrl()).isNotEqualTo(emulator.baseUrl()).startsWith("http://127.0.0.1:");
    }
  }

  @Test
  void aMillionObjectsCostNothingUntilAsked() {
    try (StripeEmulator big = StripeEmulator.builder().objectsPerResource(5_000_000)
            .clock(CLOCK).build().start()) {
      StripeHttp h = new StripeHttp(big.baseUrl());
      StripeHttp.Answer a = h.get("/v1/charges?limit=100");
      assertThat(a.body().getList("data")).hasSize(100);
      assertThat(a.body().getBoolean("has_more")).isTrue();
      String last = ((DataRecord) a.body().getList("data").get(99)).getString("id");
      assertThat(h.get("/v1/charges/" + last).status()).isEqualTo(200);
    }
  }

  @Test
  void builderChecksItsArguments() {
    assertThatThrownBy(() -> StripeEmulator.builder().port(70000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    assertThatThrownBy(() -> StripeEmulator.builder().objectsPerResource(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("objectsPerResource");
    assertThatThrownBy(() -> StripeEmulator.builder().build().baseUrl())
        .isInstanceOf(IllegalStateException.class);
  }
}
