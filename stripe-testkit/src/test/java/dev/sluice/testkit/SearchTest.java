package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.xdm.DataRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/<resource>/search}: the query language, paging, errors and the indexing lag. */
class SearchTest {
  MutableClock clock = new MutableClock(Instant.parse("2025-06-15T12:00:00Z"));
  StripeEmulator emulator;
  StripeHttp http;

  @BeforeEach
  void start() {
    emulator = StripeEmulator.builder().seed(9).objectsPerResource(80).clock(clock).build().start();
    http = new StripeHttp(emulator.baseUrl());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private List<DataRecord> all(String resource) {
    List<DataRecord> out = new ArrayList<>();
    String after = null;
    while (true) {
      DataRecord page = http.get("/v1/" + resource + "?limit=100"
          + (resource.equals("subscriptions") ? "&status=all" : "")
          + (after == null ? "" : "&starting_after=" + after)).body();
      for (Object o : page.getList("data")) {
        out.add((DataRecord) o);
      }
      if (!page.getBoolean("has_more")) {
        return out;
      }
      after = out.get(out.size() - 1).getString("id");
    }
  }

  /** Every page of a search, following next_page. */
  private List<String> search(String resource, String query, int limit) {
    List<String> ids = new ArrayList<>();
    String page = null;
    while (true) {
      StripeHttp.Answer a = http.get("/v1/" + resource + "/search?query=" + enc(query)
          + "&limit=" + limit + (page == null ? "" : "&page=" + enc(page)));
      assertThat(a.status()).as("%s", a.body()).isEqualTo(200);
      DataRecord body = a.body();
      assertThat(body.getString("object")).isEqualTo("search_result");
      assertThat(body.getString("url")).isEqualTo("/v1/" + resource + "/search");
      for (Object o : body.getList("data")) {
        ids.add(((DataRecord) o).getString("id"));
      }
      if (!body.getBoolean("has_more")) {
        assertThat(body.has("next_page")).isTrue();
        assertThat(body.get("next_page")).isNull();
        return ids;
      }
      page = body.getString("next_page");
    }
  }

  private List<String> expected(String resource, Predicate<DataRecord> p) {
    return all(resource).stream().filter(p).map(r -> r.getString("id")).toList();
  }

  @Test
  void exactMatchIsCaseInsensitiveAndPagesCoverEveryMatch() {
    DataRecord some = all("payment_intents").get(7);
    String currency = some.getString("currency");
    List<String> want = expected("payment_intents",
        r -> currency.equalsIgnoreCase(r.getString("currency")));
    assertThat(search("payment_intents", "currency:'" + currency.toUpperCase(Locale.ROOT) + "'", 3))
        .isEqualTo(want).contains(some.getString("id"));
  }

  @Test
  void numericComparisonsAndBooleanJoins() {
    List<String> want = expected("charges",
        r -> r.getLong("amount") >= 1000 && r.getLong("amount") < 50000);
    assertThat(search("charges", "amount>=1000 AND amount<50000", 100)).isEqualTo(want);
    List<String> either = expected("charges",
        r -> "failed".equals(r.getString("status")) || r.getLong("amount") > 90000);
    assertThat(search("charges", "status:'failed' OR amount>90000", 7)).isEqualTo(either);
  }

  @Test
  void substringNegationNullAndMetadata() {
    DataRecord named = all("customers").stream().filter(c -> c.getString("name") != null
        && c.getString("name").length() >= 5).findFirst().orElseThrow();
    String part = named.getString("name").substring(1, 4);
    assertThat(search("customers", "name~'" + part.replace("'", "\\'") + "'", 100))
        .isEqualTo(expected("customers", r -> r.getString("name") != null
            && r.getString("name").toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT))));
    assertThat(search("customers", "email:null", 100))
        .isEqualTo(expected("customers", r -> r.get("email") == null));
    assertThat(search("customers", "-email:null", 100))
        .isEqualTo(expected("customers", r -> r.get("email") != null));

    String id = all("customers").get(3).getString("id");
    assertThat(http.post("/v1/customers/" + id, "metadata[tier]=gold").status()).isEqualTo(200);
    assertThat(search("customers", "metadata['tier']:'gold'", 10)).containsExactly(id);
    assertThat(search("customers", "-metadata['tier']:'gold'", 100)).doesNotContain(id)
        .hasSize(all("customers").size() - 1);
  }

  @Test
  void badQueriesAreStripeErrors() {
    StripeHttp.Answer unsupported = http.get("/v1/customers/search?query=" + enc("balance>5"));
    assertThat(unsupported.status()).isEqualTo(400);
    assertThat(unsupported.error().getString("message")).contains("unsupported search field");
    assertThat(unsupported.error().getString("param")).isEqualTo("query");
    StripeHttp.Answer mixed = http.get("/v1/customers/search?query="
        + enc("name:'a' AND email:'b' OR phone:'c'"));
    assertThat(mixed.status()).isEqualTo(400);
    assertThat(http.get("/v1/customers/search").error().getString("code"))
        .isEqualTo("parameter_missing");
    assertThat(http.get("/v1/refunds/search?query=" + enc("amount>1")).status()).isBetween(400, 404);
    DataRecord counted = http.get("/v1/customers/search?limit=1&expand[]=total_count&query="
        + enc("-email:null")).body();
    assertThat(counted.getLong("total_count"))
        .isEqualTo(expected("customers", r -> r.get("email") != null).size());
  }

  @Test
  void searchLagsWritesButListsDoNot() {
    emulator.faults().searchLag(Duration.ofSeconds(60));
    String id = http.post("/v1/customers", "name=Lagging+Lena&email=lena%40example.com").body()
        .getString("id");
    String old = all("customers").get(5).getString("id");
    http.post("/v1/customers/" + old, "name=Renamed+Rita");
    assertThat(search("customers", "name:'Lagging Lena'", 10)).isEmpty();
    assertThat(search("customers", "name:'Renamed Rita'", 10)).isEmpty();
    assertThat(search("customers", "-name:null", 100)).contains(old);
    assertThat(http.get("/v1/customers?email=lena%40example.com").body().getList("data"))
        .hasSize(1);

    clock.advance(Duration.ofSeconds(60));
    assertThat(search("customers", "name:'Lagging Lena'", 10)).containsExactly(id);
    assertThat(search("customers", "name:'Renamed Rita'", 10)).containsExactly(old);

    emulator.faults().clear();
    http.delete("/v1/customers/" + id);
    assertThat(search("customers", "name:'Lagging Lena'", 10)).isEmpty();
  }
}
