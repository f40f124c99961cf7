package dev.sluice.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ChangeSource;
import dev.sluice.core.FlowRun;
import dev.sluice.core.RunStatus;
import dev.sluice.core.Sinks;
import dev.sluice.stripe.internal.ListCursor;
import dev.sluice.stripe.internal.SyncState;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the transport answers Stripe's errors and broken connections, on a real HTTP server. */
class StripeTransportErrorsTest {
  static final String KEY = "sk_test_51SecretKeyThatMustNeverLeak0123";
  static final String EMPTY_LIST = "{\"object\":\"list\",\"url\":\"/v1/charges\",\"has_more\":false,\"data\":[]}";

  MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  @BeforeEach
  void start() throws IOException {
    server.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  StripeConnection connection(int retries) {
    return StripeConnection.builder().apiKey(KEY).apiBase(server.url("/").toString())
        .maxRetries(retries).initialBackoff(Duration.ZERO).readTimeout(Duration.ofSeconds(5)).build();
  }

  /** Lists charges in the incremental phase: one list request per page, no backfill probe. */
  List<ChangeSource.Page> readAll(StripeConnection c) {
    List<ChangeSource.Page> pages = new ArrayList<>();
    c.source("charges").read(SyncState.incremental(ListCursor.START).toJson(), pages::add);
    return pages;
  }

  static MockResponse error(int code, String type, String errorCode, String param, String message) {
    return new MockResponse.Builder().code(code).addHeader("Request-Id", "req_abc123")
        .body("{\"error\":{\"type\":\"" + type + "\",\"code\":" + (errorCode == null ? "null" : "\"" + errorCode + "\"")
            + ",\"param\":" + (param == null ? "null" : "\"" + param + "\"") + ",\"message\":\"" + message + "\"}}")
        .build();
  }

  @Test
  void anUnauthorizedKeyIsReportedOnceWithTheRequestIdAndNeverTheKey() {
    server.enqueue(error(401, "invalid_request_error", null, null,
        "Invalid API Key provided: " + KEY));
    assertThatThrownBy(() -> readAll(connection(3)))
        .isInstanceOfSatisfying(StripeAuthenticationException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(401);
          assertThat(e.requestId()).isEqualTo("req_abc123");
          assertThat(e.code()).isEqualTo("STRIPE_AUTHENTICATION");
        })
        .hasMessageContaining("Stripe rejected the API key")
        .hasMessageContaining("req_abc123")
        .hasMessageNotContaining("SecretKeyThatMustNeverLeak");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void anInvalidRequestNamesTheParameterAndIsNotRetried() {
    server.enqueue(error(400, "invalid_request_error", "parameter_unknown", "foo",
        "Received unknown parameter: foo"));
    assertThatThrownBy(() -> readAll(connection(3)))
        .isInstanceOfSatisfying(StripeInvalidRequestException.class, e -> {
          assertThat(e.param()).isEqualTo("foo");
          assertThat(e.stripeCode()).isEqualTo("parameter_unknown");
          assertThat(e.type()).isEqualTo("invalid_request_error");
        })
        .hasMessageContaining("HTTP 400");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void serverErrorsAndRateLimitsAreRetriedUntilTheyPass() {
    server.enqueue(error(500, "api_error", null, null, "boom"));
    server.enqueue(error(429, "invalid_request_error", "rate_limit", null, "slow down"));
    server.enqueue(new MockResponse.Builder().body(EMPTY_LIST).build());
    List<ChangeSource.Page> pages = readAll(connection(3));
    assertThat(pages).hasSize(1);
    assertThat(pages.get(0).requests()).isEqualTo(3);
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void stripeShouldRetryFalseIsObeyed() {
    MockResponse noRetry = new MockResponse.Builder().code(503).addHeader("Stripe-Should-Retry", "false")
        .body("{\"error\":{\"type\":\"api_error\",\"message\":\"down\"}}").build();
    server.enqueue(noRetry);
    assertThatThrownBy(() -> readAll(connection(3))).isInstanceOf(StripeApiException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void retriesRunOutIntoAnActionableException() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(error(429, "invalid_request_error", "lock_timeout", null, "locked"));
    }
    assertThatThrownBy(() -> readAll(connection(2)))
        .isInstanceOfSatisfying(StripeRateLimitException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("lock_timeout")
        .hasMessageContaining("after 3 attempts");
  }

  @Test
  void aBodyCutShortIsReadAgain() {
    server.enqueue(new MockResponse.Builder()
        .body("{\"object\":\"list\",\"data\":[{\"id\":\"ch_1\",\"created\":5}],\"has_more\":false}")
        .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(new MockResponse.Builder()
        .body("{\"object\":\"list\",\"data\":[{\"id\":\"ch_1\",\"created\":5}],\"has_more\":false}").build());
    List<ChangeSource.Page> pages = readAll(connection(2));
    assertThat(pages).hasSize(1);
    assertThat(pages.get(0).changes()).extracting(c -> c.id()).containsExactly("ch_1");
  }

  @Test
  void anUnreachableHostIsOneClearFailedRun() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StripeConnection c = StripeConnection.builder().apiKey(KEY).apiBase("http://127.0.0.1:" + port)
        .maxRetries(1).initialBackoff(Duration.ZERO).build();
    FlowRun run = c.source("charges").into(Sinks.jsonLines(dir)).build().runOnce();
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.errors().get(0).code()).isEqualTo("STRIPE_UNREACHABLE");
    assertThat(run.failureMessage())
        .startsWith("Cannot reach the Stripe API at http://127.0.0.1:" + port)
        .contains("connection refused")
        .doesNotContain("\n");
  }

  @Test
  void sendsTheKeyAsBearerWithAccountAndVersion() throws Exception {
    server.enqueue(new MockResponse.Builder().body(EMPTY_LIST).build());
    StripeConnection c = connection(0).newBuilder().stripeAccount("acct_123").stripeVersion("2024-06-20").build();
    readAll(c);
    var request = server.takeRequest();
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(request.getHeaders().get("Stripe-Account")).isEqualTo("acct_123");
    assertThat(request.getHeaders().get("Stripe-Version")).isEqualTo("2024-06-20");
    assertThat(request.getUrl().queryParameter("limit")).isEqualTo("100");
    assertThat(c.toString()).doesNotContain(KEY).contains("mode=test");
  }

  @Test
  void theBuilderRefusesKeysThatAreNotSecretAndNeverEchoesThem() {
    assertThatThrownBy(() -> StripeConnection.builder().apiKey("pk_test_abcdef123"))
        .hasMessageContaining("publishable key").hasMessageNotContaining("abcdef123");
    assertThatThrownBy(() -> StripeConnection.builder().build())
        .hasMessageContaining("apiKey is not set");
    assertThatThrownBy(() -> StripeConnection.builder().apiKey(KEY).apiBase("ftp://x"))
        .hasMessageContaining("not an http(s) URL");
    assertThatThrownBy(() -> StripeConnection.builder().apiKey(KEY).build().source("chargez"))
        .hasMessageContaining("Unknown Stripe resource 'chargez'");
  }
}
