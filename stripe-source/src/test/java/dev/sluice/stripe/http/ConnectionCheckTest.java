package dev.sluice.stripe.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** {@code StripeConnection.test()}: whether the key works, its mode, and what a restricted key may read. */
class ConnectionCheckTest {
  static final String LIST = "{\"object\":\"list\",\"data\":[],\"has_more\":false}";

  /** A Stripe stand-in for a restricted key that may read only charges and customers (and not the balance). */
  static final class RestrictedStripe extends Dispatcher {
    final Set<String> allowed = Set.of("/v1/charges", "/v1/customers");
    final List<String> paths = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getUrl().encodedPath();
      paths.add(path + "?" + request.getUrl().encodedQuery());
      if (allowed.contains(path)) {
        return new MockResponse.Builder().addHeader("Request-Id", "req_ok").body(LIST).build();
      }
      if (path.equals("/v1/events")) {
        return new MockResponse.Builder().code(404).body(
            "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL\"}}").build();
      }
      return new MockResponse.Builder().code(403).addHeader("Request-Id", "req_denied").body(
          "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"The provided key 'rk_test_****abc' does not have the required permissions\"}}")
          .build();
    }
  }

  static StripeConnection.Builder connection(String key, String apiBase) {
    return StripeConnection.builder().apiKey(key).apiBase(apiBase).maxRetries(0).initialBackoff(Duration.ZERO)
        .throttle(Throttle.none());
  }

  @Test
  void aRestrictedKeyIsProbedResourceByResourceWithOneObjectEach() throws IOException {
    RestrictedStripe stripe = new RestrictedStripe();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(stripe);
      server.start(0);
      ConnectionCheck check = connection("rk_test_51RestrictedKey", server.url("/").toString()).build().test();

      assertThat(check.keyWorks()).isTrue();
      assertThat(check.problem()).isNull();
      assertThat(check.restrictedKey()).isTrue();
      assertThat(check.mode()).isEqualTo("test");
      assertThat(check.readable()).containsExactly("charges", "customers");
      assertThat(check.canRead("charges")).isTrue();
      assertThat(check.canRead("refunds")).isFalse();
      assertThat(check.forbidden()).contains("refunds", "subscriptions", "balance_transactions", "prices");
      int resources = StripeCatalog.all().size();
      assertThat(check.readable().size() + check.forbidden().size() + check.failed().size()).isEqualTo(resources);
      if (StripeCatalog.find("events").isPresent()) {
        assertThat(check.failed()).containsKey("events");
      }
      assertThat(stripe.paths.get(0)).startsWith("/v1/balance");
      assertThat(stripe.paths.subList(1, stripe.paths.size()))
          .hasSize(resources)
          .allSatisfy(p -> assertThat(p).endsWith("?limit=1"));
      assertThat(check.toString()).doesNotContain("51RestrictedKey");
    }
  }

  @Test
  void aSecretKeyIsCheckedWithOneCallAndReadsEverything() throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().addHeader("Request-Id", "req_balance")
          .body("{\"object\":\"balance\",\"livemode\":true}").build());
      server.start(0);
      ConnectionCheck check = connection("sk_live_51SecretKey", server.url("/").toString()).build().test();

      assertThat(check.keyWorks()).isTrue();
      assertThat(check.livemode()).isTrue();
      assertThat(check.restrictedKey()).isFalse();
      assertThat(check.requestId()).isEqualTo("req_balance");
      assertThat(check.readable()).containsAll(StripeCatalog.all().stream().map(StripeResource::name).toList());
      assertThat(server.getRequestCount()).isEqualTo(1);
    }
  }

  @Test
  void aRefusedKeyOrAnUnreachableApiIsAnAnswerNotAnException() throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(401).addHeader("Request-Id", "req_401").body(
          "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid API Key provided: sk_test_****1234\"}}")
          .build());
      server.start(0);
      ConnectionCheck check = connection("sk_test_51ExpiredKey1234", server.url("/").toString()).build().test();
      assertThat(check.keyWorks()).isFalse();
      assertThat(check.problem()).contains("Stripe rejected the API key").contains("req_401")
          .doesNotContain("51ExpiredKey1234");
      assertThat(check.canRead("charges")).isFalse();
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ConnectionCheck down = connection("sk_test_51Key", "http://127.0.0.1:" + port).build().test();
    assertThat(down.keyWorks()).isFalse();
    assertThat(down.problem()).contains("Cannot reach the Stripe API").contains("connection refused");
  }
}
