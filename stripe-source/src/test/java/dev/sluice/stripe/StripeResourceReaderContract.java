package dev.sluice.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.ChangeSource;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link StripeResourceReader} must do, run against the Stripe emulator. A reader
 * implementation's test extends this class and says how to make the reader.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StripeResourceReaderContract {
  static final int OBJECTS = 1_500;
  StripeEmulator emulator;
  StripeConnection connection;

  /** Makes the reader under test for a connection. */
  abstract StripeResourceReader reader(StripeConnection connection);

  @BeforeAll
  void startEmulator() {
    emulator = StripeEmulator.builder().seed(11).objectsPerResource(OBJECTS).build().start();
    connection = StripeConnection.builder().apiKey("sk_test_contract").apiBase(emulator.baseUrl())
        .maxRetries(2).initialBackoff(Duration.ZERO).throttle(dev.sluice.stripe.http.Throttle.none()).build();
  }

  @AfterAll
  void stopEmulator() {
    emulator.close();
  }

  SourceConnection source(String resource) {
    return connection.source(resource).withReader(reader(connection));
  }

  /** Every object of a resource, by paging with starting_after through the reader alone. */
  List<DataRecord> listSerially(String path, Map<String, String> extra) {
    StripeResourceReader reader = reader(connection);
    List<DataRecord> all = new ArrayList<>();
    String after = null;
    while (true) {
      Map<String, String> params = new LinkedHashMap<>(extra);
      params.put("limit", "100");
      if (after != null) {
        params.put("starting_after", after);
      }
      StripeResourceReader.ListPage page = reader.list(path, params);
      all.addAll(page.data());
      if (!page.hasMore()) {
        return all;
      }
      after = page.data().get(page.data().size() - 1).getString("id");
    }
  }

  static List<String> ids(List<ChangeEnvelope> changes) {
    return changes.stream().map(ChangeEnvelope::id).toList();
  }

  @Test
  void pagingReturnsEveryObjectOnceNewestFirstWithExactValues() {
    List<DataRecord> charges = listSerially("/v1/charges", Map.of());
    assertThat(charges).hasSize(OBJECTS);
    assertThat(charges.stream().map(c -> c.getString("id"))).doesNotHaveDuplicates();
    for (int i = 1; i < charges.size(); i++) {
      assertThat(charges.get(i - 1).getLong("created")).isGreaterThanOrEqualTo(charges.get(i).getLong("created"));
    }
    assertThat(charges).allSatisfy(c -> assertThat(c.get("amount")).isInstanceOf(Long.class));
    // Keys come in Stripe's order: the object starts as the fixture does.
    assertThat(charges.get(0).keys()).startsWith("amount", "amount_captured", "amount_refunded");
  }

  @Test
  void aParallelBackfillReadsEachObjectExactlyOnce() {
    List<ChangeEnvelope> changes = new ArrayList<>();
    source("charges").withParallelism(6).read(null, page -> changes.addAll(page.changes()));
    List<String> expected = listSerially("/v1/charges", Map.of()).stream().map(c -> c.getString("id")).toList();
    assertThat(ids(changes)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aResumedBackfillRedoesNoCommittedPageAndLosesNothing() {
    // Read, "committing" only the pages before a crash after the 5th page; then resume.
    List<ChangeEnvelope> committed = new ArrayList<>();
    String[] checkpoint = {null};
    int[] pages = {0};
    SourceConnection source = source("customers").withParallelism(4);
    assertThatThrownBy(() -> source.read(null, page -> {
      if (++pages[0] > 5) {
        throw new IllegalStateException("crash");
      }
      committed.addAll(page.changes());
      checkpoint[0] = page.checkpoint();
    })).hasMessage("crash");
    assertThat(committed).isNotEmpty();
    source.read(checkpoint[0], page -> committed.addAll(page.changes()));
    List<String> expected = listSerially("/v1/customers", Map.of()).stream().map(c -> c.getString("id")).toList();
    assertThat(ids(committed)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aRunAfterTheBackfillReadsNothingTwice() {
    String[] checkpoint = {null};
    SourceConnection source = source("prices").withParallelism(3);
    source.read(null, page -> checkpoint[0] = page.checkpoint());
    List<ChangeEnvelope> again = new ArrayList<>();
    source.read(checkpoint[0], page -> again.addAll(page.changes()));
    assertThat(again).isEmpty();
  }

  @Test
  void createdFiltersSelectClosedRanges() {
    List<DataRecord> all = listSerially("/v1/refunds", Map.of());
    long mid = all.get(all.size() / 2).getLong("created");
    List<DataRecord> newer = listSerially("/v1/refunds", Map.of("created[gte]", Long.toString(mid)));
    List<DataRecord> older = listSerially("/v1/refunds", Map.of("created[lt]", Long.toString(mid)));
    assertThat(newer).allSatisfy(r -> assertThat(r.getLong("created")).isGreaterThanOrEqualTo(mid));
    assertThat(older).allSatisfy(r -> assertThat(r.getLong("created")).isLessThan(mid));
    assertThat(newer.size() + older.size()).isEqualTo(all.size());
  }

  @Test
  void retrieveGivesTheObjectAndA404IsAnInvalidRequest() {
    DataRecord first = listSerially("/v1/customers", Map.of()).get(0);
    StripeResourceReader.Fetched fetched = reader(connection).retrieve("/v1/customers/" + first.getString("id"), Map.of());
    assertThat(fetched.object()).isEqualTo(first);
    assertThatThrownBy(() -> reader(connection).retrieve("/v1/customers/cus_doesNotExist", Map.of()))
        .isInstanceOfSatisfying(StripeInvalidRequestException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(404);
          assertThat(e.stripeCode()).isEqualTo("resource_missing");
          assertThat(e.requestId()).isNotBlank();
        });
  }

  @Test
  void aBadParameterIsAnInvalidRequestNamingIt() {
    Map<String, String> params = new HashMap<>();
    params.put("limit", "1000");
    assertThatThrownBy(() -> reader(connection).list("/v1/charges", params))
        .isInstanceOfSatisfying(StripeInvalidRequestException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(400);
          assertThat(e.param()).isEqualTo("limit");
        });
  }

  @Test
  void aKeyTheServerRefusesIsAnAuthenticationErrorWithoutTheKey() {
    StripeConnection bad = connection.newBuilder().apiKey("sk_live_refusedKey1234567").build();
    assertThatThrownBy(() -> reader(bad).list("/v1/charges", Map.of("limit", "1")))
        .isInstanceOf(StripeAuthenticationException.class)
        .hasMessageNotContaining("refusedKey1234567");
  }

  @Test
  void subscriptionsIncludeCanceledOnes() {
    List<ChangeEnvelope> changes = new ArrayList<>();
    source("subscriptions").read(null, page -> changes.addAll(page.changes()));
    assertThat(changes).hasSize(OBJECTS);
  }

  @Test
  void pagesReportTheirRequests() {
    List<ChangeSource.Page> pages = new ArrayList<>();
    source("balance_transactions").read(null, pages::add);
    assertThat(pages.stream().mapToInt(ChangeSource.Page::requests).sum())
        .isGreaterThanOrEqualTo(OBJECTS / 100);
    assertThat(pages.stream().mapToLong(ChangeSource.Page::bytes).sum()).isPositive();
  }

  @Test
  void pagesSayTheApiVersionStripeAnswered() {
    // The version each answer's Stripe-Version header names: the account's default for a plain
    // request, the one a client pins otherwise (stripe-java pins its own).
    String answered = reader(connection).list("/v1/prices", Map.of("limit", "1")).apiVersion();
    assertThat(answered).matches("\\d{4}-\\d{2}-\\d{2}(\\.\\w+)?");
    String id = listSerially("/v1/prices", Map.of()).get(0).getString("id");
    assertThat(reader(connection).retrieve("/v1/prices/" + id, Map.of()).apiVersion()).isEqualTo(answered);
    List<ChangeSource.Page> pages = new ArrayList<>();
    source("prices").withParallelism(2).read(null, pages::add);
    assertThat(pages).isNotEmpty().allSatisfy(p -> assertThat(p.apiVersion()).isEqualTo(answered));

    StripeConnection pinned = connection.newBuilder().stripeVersion("2024-06-20").build();
    assertThat(reader(pinned).list("/v1/prices", Map.of("limit", "1")).apiVersion()).isEqualTo("2024-06-20");
    assertThat(reader(pinned).retrieve("/v1/prices/" + id, Map.of()).apiVersion()).isEqualTo("2024-06-20");
  }

  @Test
  void faultsAreRetriedWithNothingLostOrRepeated() {
    List<String> expected = listSerially("/v1/refunds", Map.of()).stream().map(r -> r.getString("id")).toList();
    StripeConnection patient = connection.newBuilder().maxRetries(10).build();
    emulator.faults().dropNext(2).truncateNext(2).failNext(2, 503, null).lockTimeoutNext(2);
    try {
      List<ChangeEnvelope> changes = new ArrayList<>();
      patient.source("refunds").withReader(reader(patient)).withParallelism(4)
          .read(null, page -> changes.addAll(page.changes()));
      assertThat(ids(changes)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    } finally {
      emulator.faults().clear();
    }
    assertThat(emulator.requests()).anySatisfy(r -> assertThat(r.status()).isEqualTo(429));
  }

  @Test
  void aRateLimitedServerSlowsTheBackfillButLosesNothing() {
    List<String> expected = listSerially("/v1/balance_transactions", Map.of()).stream()
        .map(r -> r.getString("id")).toList();
    // Backoff as in real use (the suite's connection retries at once): 20 immediate retries can
    // all land inside one empty bucket.
    StripeConnection patient = connection.newBuilder().maxRetries(20)
        .initialBackoff(java.time.Duration.ofMillis(5)).build();
    emulator.faults().rateLimit(400, 4);
    try {
      List<ChangeEnvelope> changes = new ArrayList<>();
      patient.source("balance_transactions").withReader(reader(patient)).withParallelism(8)
          .read(null, page -> changes.addAll(page.changes()));
      assertThat(ids(changes)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    } finally {
      emulator.faults().clear();
    }
  }

  @Test
  void aServerErrorThatMustNotBeRetriedFailsTheRead() {
    emulator.faults().failNext(1, 500, false);
    try {
      assertThatThrownBy(() -> reader(connection).list("/v1/charges", Map.of("limit", "3")))
          .isInstanceOfSatisfying(StripeApiException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(500);
            assertThat(e.requestId()).isNotBlank();
          });
    } finally {
      emulator.faults().clear();
    }
  }

  @Test
  void embeddedListsCutAtTenArePagedToTheirEnd() {
    List<ChangeEnvelope> changes = new ArrayList<>();
    source("invoices").read(null, page -> changes.addAll(page.changes()));
    List<DataRecord> longOnes = changes.stream().map(ChangeEnvelope::record)
        .filter(r -> r.getRecord("lines").getList("data").size() > 10).toList();
    assertThat(longOnes).as("invoices with more than 10 lines").isNotEmpty();
    for (DataRecord invoice : longOnes) {
      DataRecord lines = invoice.getRecord("lines");
      assertThat(lines.getBoolean("has_more")).isFalse();
      List<DataRecord> direct = listSerially(lines.getString("url"), Map.of());
      assertThat(lines.getList("data")).containsExactlyElementsOf(direct);
    }
  }

  DataRecord post(String path, Map<String, ?> form) {
    return connection.transport().post(path, form, null,
        body -> dev.sluice.xdm.JsonValues.readRecord(com.squareup.moshi.JsonReader.of(body))).value();
  }

  @Test
  void incrementalRunsReadCreatesUpdatesAndDeletesFromEvents() {
    String[] checkpoint = {null};
    // Settle 0: events written a moment ago are read at once (the default waits a minute).
    SourceConnection source = source("products").withParallelism(3).withSettle(Duration.ZERO);
    source.read(null, page -> checkpoint[0] = page.checkpoint());

    List<DataRecord> products = listSerially("/v1/products", Map.of());
    String updated = products.get(5).getString("id");
    String deleted = products.get(7).getString("id");
    post("/v1/products/" + updated, Map.of("name", "Renamed by the contract test"));
    connection.transport().delete("/v1/products/" + deleted, Map.of(), body -> null);
    String created = post("/v1/products", Map.of("name", "Brand new")).getString("id");

    List<ChangeEnvelope> changes = new ArrayList<>();
    source.read(checkpoint[0], page -> {
      changes.addAll(page.changes());
      checkpoint[0] = page.checkpoint();
    });
    assertThat(changes).anySatisfy(c -> {
      assertThat(c.id()).isEqualTo(created);
      assertThat(c.operation()).isEqualTo(ChangeEnvelope.Operation.UPSERT);
    });
    assertThat(changes).anySatisfy(c -> {
      assertThat(c.id()).isEqualTo(updated);
      assertThat(c.record().getString("name")).isEqualTo("Renamed by the contract test");
    });
    assertThat(changes).anySatisfy(c -> {
      assertThat(c.id()).isEqualTo(deleted);
      assertThat(c.operation()).isEqualTo(ChangeEnvelope.Operation.DELETE);
      assertThat(c.record().toJson()).isEqualTo("{\"id\":\"" + deleted + "\",\"object\":\"product\",\"deleted\":true}");
    });
    // The delete comes after the update events of the same object, and nothing else changed.
    assertThat(changes.stream().map(ChangeEnvelope::id).distinct()).containsExactlyInAnyOrder(created, updated, deleted);

    List<ChangeEnvelope> again = new ArrayList<>();
    source.read(checkpoint[0], page -> again.addAll(page.changes()));
    assertThat(again).as("a third run finds nothing new").isEmpty();
  }

  @Test
  void theEventsOwnCopyCanBeTakenInsteadOfRefetching() {
    String[] checkpoint = {null};
    SourceConnection source = source("customers").withParallelism(3).withEventObjects(EventObjects.EVENT_COPY)
        .withSettle(Duration.ZERO);
    source.read(null, page -> checkpoint[0] = page.checkpoint());
    String id = listSerially("/v1/customers", Map.of()).get(3).getString("id");
    post("/v1/customers/" + id, Map.of("description", "from the event"));
    emulator.clearRequests();
    List<ChangeEnvelope> changes = new ArrayList<>();
    source.read(checkpoint[0], page -> changes.addAll(page.changes()));
    assertThat(changes).singleElement().satisfies(c ->
        assertThat(c.record().getString("description")).isEqualTo("from the event"));
    assertThat(emulator.requests()).noneMatch(r -> r.path().equals("/v1/customers/" + id));
  }

  @Test
  void aCursorOlderThanTheEventWindowBackfillsAgain() {
    String[] checkpoint = {null};
    SourceConnection source = source("prices").withParallelism(3);
    source.read(null, page -> checkpoint[0] = page.checkpoint());
    SourceConnection later = source.withClock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofDays(31)));
    List<ChangeEnvelope> changes = new ArrayList<>();
    later.read(checkpoint[0], page -> changes.addAll(page.changes()));
    assertThat(changes).hasSize(listSerially("/v1/prices", Map.of()).size());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"BASIC", "DIGEST"})
  void aRoundTripThroughTheTestkitsProxy(String scheme) {
    dev.sluice.testkit.LoopbackProxy.Builder builder = dev.sluice.testkit.LoopbackProxy.builder();
    builder = scheme.equals("BASIC") ? builder.basic("svc", "proxy-s3cret") : builder.digest("svc", "proxy-s3cret");
    try (dev.sluice.testkit.LoopbackProxy proxy = builder.start()) {
      dev.sluice.stripe.http.ProxySettings.Builder settings =
          dev.sluice.stripe.http.ProxySettings.builder().host("127.0.0.1").port(proxy.port());
      settings = scheme.equals("BASIC") ? settings.basicAuth("svc", "proxy-s3cret") : settings.digestAuth("svc", "proxy-s3cret");
      StripeConnection via = connection.newBuilder().proxy(settings.build()).build();
      List<DataRecord> direct = reader(connection).list("/v1/customers", Map.of("limit", "20")).data();
      assertThat(reader(via).list("/v1/customers", Map.of("limit", "20")).data()).isEqualTo(direct);
      assertThat(proxy.log()).isNotEmpty().noneMatch(line -> line.contains("proxy-s3cret"));
    }
  }

  @Test
  void httpsWithACertificateTheCallerTrusts() {
    try (StripeEmulator secure = StripeEmulator.builder().seed(11).objectsPerResource(30).https(true).build().start()) {
      assertThat(secure.baseUrl()).startsWith("https://");
      StripeConnection tls = StripeConnection.builder().apiKey("sk_test_contract").apiBase(secure.baseUrl())
          .trustManager(secure.trustManager()).maxRetries(0).build();
      assertThat(reader(tls).list("/v1/charges", Map.of("limit", "30")).data()).hasSize(30);
      // Without trusting the certificate, the handshake fails and nothing is read.
      StripeConnection untrusting = tls.newBuilder().trustManager(null).build();
      assertThatThrownBy(() -> reader(untrusting).list("/v1/charges", Map.of("limit", "1")))
          .isInstanceOf(StripeConnectionException.class);
    }
  }

  @Test
  void verbosityFiveLogsEveryExchangeButNeverTheKey() {
    StripeConnection loud = connection.newBuilder().apiKey("sk_test_51ContractKeyNeverLogged").verbosity(5).build();
    List<List<DataRecord>> page = new ArrayList<>();
    String log = dev.sluice.stripe.http.LogCapture.captured(
        () -> page.add(reader(loud).list("/v1/customers", Map.of("limit", "3")).data()));
    assertThat(log)
        .contains("/v1/customers")
        .contains(page.get(0).get(0).getString("id")) // the response body is there
        .doesNotContain("51ContractKeyNeverLogged");
  }

  @Test
  void aParallelBackfillCountsEachRequestOnceOnTheRightPage() {
    emulator.clearRequests();
    List<ChangeSource.Page> pages = new ArrayList<>();
    source("refunds").withParallelism(6).withEvents(false).read(null, pages::add);
    long sent = emulator.requests().stream().filter(r -> r.path().startsWith("/v1/refunds")).count();
    assertThat(pages.stream().mapToLong(ChangeSource.Page::requests).sum()).isEqualTo(sent);
  }
}
