package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.xdm.DataRecord;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultsAndIdempotencyTest {
  StripeEmulator emulator;
  StripeHttp http;

  @BeforeEach
  void start() {
    emulator = StripeEmulator.builder().seed(3).objectsPerResource(40)
        .clock(StripeEmulatorTest.CLOCK).build().start();
    http = new StripeHttp(emulator.baseUrl());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  StripeHttp.Answer postWithKey(String path, String form, String key) {
    return http.call(new Request.Builder().url(emulator.baseUrl() + path)
        .header("Idempotency-Key", key)
        .post(RequestBody.create(form, MediaType.get("application/x-www-form-urlencoded"))));
  }

  @Test
  void idempotencyKeyReplaysTheFirstAnswerAndRefusesOtherParameters() {
    StripeHttp.Answer first = postWithKey("/v1/customers", "name=Ann&metadata[a]=1", "key-1");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.headers().get("Idempotent-Replayed")).isNull();
    StripeHttp.Answer again = postWithKey("/v1/customers", "name=Ann&metadata[a]=1", "key-1");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.headers().get("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.headers().get("Request-Id")).isEqualTo(first.headers().get("Request-Id"));

    StripeHttp.Answer other = postWithKey("/v1/customers", "name=Bob", "key-1");
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.error().getString("type")).isEqualTo("idempotency_error");

    // a failed request under a key is kept too (it is not a retryable error)
    StripeHttp.Answer bad = postWithKey("/v1/customers", "colour=red", "key-2");
    assertThat(postWithKey("/v1/customers", "colour=red", "key-2").headers()
        .get("Idempotent-Replayed")).isEqualTo("true");
    assertThat(bad.status()).isEqualTo(400);

    long created = http.get("/v1/events?type=customer.created&created[gte]="
        + StripeEmulatorTest.CLOCK.instant().getEpochSecond()).body().getList("data").size();
    assertThat(created).isEqualTo(1);
  }

  @Test
  void concurrentRequestsWithOneKeyCreateOneObject() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<StripeHttp.Answer>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> postWithKey("/v1/products", "name=Once", "same-key")));
      }
      Set<String> ids = new HashSet<>();
      for (Future<StripeHttp.Answer> f : futures) {
        ids.add(f.get().body().getString("id"));
      }
      assertThat(ids).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void stripeAccountHeaderScopesData() {
    StripeHttp.Answer platform = http.get("/v1/charges?limit=5");
    StripeHttp.Answer connected = http.call(new Request.Builder()
        .url(emulator.baseUrl() + "/v1/charges?limit=5").header("Stripe-Account", "acct_1Connected"));
    assertThat(connected.status()).isEqualTo(200);
    assertThat(connected.body().getList("data")).hasSize(5)
        .doesNotContainAnyElementsOf(platform.body().getList("data"));

    StripeHttp.Answer made = http.call(new Request.Builder().url(emulator.baseUrl() + "/v1/customers")
        .header("Stripe-Account", "acct_1Connected")
        .post(RequestBody.create("name=Connie", MediaType.get("application/x-www-form-urlencoded"))));
    String id = made.body().getString("id");
    assertThat(http.get("/v1/customers/" + id).status()).isEqualTo(404);
    assertThat(http.call(new Request.Builder().url(emulator.baseUrl() + "/v1/customers/" + id)
        .header("Stripe-Account", "acct_1Connected")).status()).isEqualTo(200);
    assertThat(http.call(new Request.Builder().url(emulator.baseUrl() + "/v1/charges")
        .header("Stripe-Account", "bogus")).status()).isEqualTo(403);
  }

  @Test
  void latencyDelaysEveryAnswerAndRequestsRunConcurrently() throws Exception {
    emulator.faults().latency(Duration.ofMillis(200));
    long t0 = System.nanoTime();
    assertThat(http.get("/v1/customers?limit=1").status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(200));

    ExecutorService pool = Executors.newFixedThreadPool(25);
    try {
      long start = System.nanoTime();
      List<Future<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        futures.add(pool.submit(() -> http.get("/v1/charges?limit=3").status()));
      }
      for (Future<Integer> f : futures) {
        assertThat(f.get()).isEqualTo(200);
      }
      // 25 requests of 200 ms each, served together: far less than 25 x 200 ms
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rateLimitAnswers429AndClearLiftsIt() {
    emulator.faults().rateLimit(1, 3);
    List<Integer> statuses = new ArrayList<>();
    StripeHttp.Answer limited = null;
    for (int i = 0; i < 8; i++) {
      StripeHttp.Answer a = http.get("/v1/customers?limit=1");
      statuses.add(a.status());
      if (a.status() == 429) {
        limited = a;
      }
    }
    assertThat(statuses.subList(0, 3)).containsOnly(200);
    assertThat(statuses).contains(429);
    assertThat(limited.error().getString("code")).isEqualTo("rate_limit");
    assertThat(limited.headers().get("Request-Id")).startsWith("req_");
    emulator.faults().clear();
    assertThat(http.get("/v1/customers?limit=1").status()).isEqualTo(200);

    emulator.faults().lockTimeoutNext(1);
    StripeHttp.Answer lock = http.get("/v1/customers?limit=1");
    assertThat(lock.status()).isEqualTo(429);
    assertThat(lock.error().getString("code")).isEqualTo("lock_timeout");
    assertThat(http.get("/v1/customers?limit=1").status()).isEqualTo(200);
  }

  @Test
  void serverErrorsCarryStripeShouldRetry() {
    emulator.faults().failNext(2, 503, true);
    StripeHttp.Answer a = http.get("/v1/customers?limit=1");
    assertThat(a.status()).isEqualTo(503);
    assertThat(a.error().getString("type")).isEqualTo("api_error");
    assertThat(a.headers().get("Stripe-Should-Retry")).isEqualTo("true");
    assertThat(http.get("/v1/customers?limit=1").status()).isEqualTo(503);
    assertThat(http.get("/v1/customers?limit=1").status()).isEqualTo(200);
    emulator.faults().failNext(1, 500, false);
    assertThat(http.get("/v1/customers?limit=1").headers().get("Stripe-Should-Retry")).isEqualTo("false");
  }

  @Test
  void droppedConnectionsAndTruncatedBodiesFailTheClient() {
    emulator.faults().dropNext(1);
    assertThatThrownBy(() -> http.get("/v1/customers?limit=1")).isInstanceOf(UncheckedIOException.class);
    assertThat(http.get("/v1/customers?limit=1").status()).isEqualTo(200);
    emulator.faults().truncateNext(1);
    assertThatThrownBy(() -> http.get("/v1/customers?limit=10")).isInstanceOf(UncheckedIOException.class);
    assertThat(http.get("/v1/customers?limit=1").status()).isEqualTo(200);
  }

  @Test
  void theRequestLogShowsWhatClientsSentWithKeysMasked() {
    emulator.clearRequests();
    http.get("/v1/charges?limit=2&created[gte]=5");
    http.post("/v1/customers", "name=Log&metadata[k]=v");
    List<RecordedRequest> log = emulator.requests();
    assertThat(log).hasSize(2);
    RecordedRequest get = log.get(0);
    assertThat(get.method()).isEqualTo("GET");
    assertThat(get.path()).isEqualTo("/v1/charges");
    assertThat(get.query()).isEqualTo("limit=2&created[gte]=5");
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.requestId()).startsWith("req_");
    assertThat(get.header("Authorization")).isEqualTo("Bearer sk_test_****p7dc");
    assertThat(get.toString()).doesNotContain(StripeHttp.KEY);
    RecordedRequest post = log.get(1);
    assertThat(post.body()).isEqualTo("name=Log&metadata[k]=v");
    assertThat(post.headers().toString()).doesNotContain(StripeHttp.KEY);
    emulator.clearRequests();
    assertThat(emulator.requests()).isEmpty();
  }
}
