package dev.sluice.stripe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.internal.StripeTransport;
import dev.sluice.stripe.internal.http.RateLimiter;
import dev.sluice.testkit.LoopbackProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;

/**
 * What each verbosity writes through SLF4J (slf4j-simple in tests, which writes to {@code
 * System.err}), and that no secret is ever among it.
 */
class VerbosityLoggingTest {
  static final String KEY = "sk_test_51LoggedKeyMustNeverAppear";
  static final String OTHER_KEY = "rk_live_51AnotherKeyInABody";
  static final String PASSWORD = "hunter2-proxy-secret";
  static final String CARD = "4242424242424242";
  static final String SPACED_CARD = "4000 0566 5566 5556";

  /** Runs {@code body} and returns what SLF4J wrote meanwhile. */
  static String captured(Runnable body) {
    return LogCapture.captured(body);
  }

  static StripeTransport transport(String apiBase, ProxySettings proxy, int verbosity,
      javax.net.ssl.X509TrustManager trust) {
    return new StripeTransport(new StripeTransport.Config(KEY, apiBase, "acct_1Logs", null,
        Duration.ofSeconds(5), Duration.ofSeconds(5), 1, Duration.ZERO, Duration.ZERO, proxy,
        Throttle.none(), verbosity, trust, RateLimiter.Ticker.SYSTEM));
  }

  @Test
  void verbosityFiveShowsEveryBodyAndHeaderButNoSecret() throws Exception {
    try (MockWebServer server = new MockWebServer();
        LoopbackProxy proxy = LoopbackProxy.builder().basic("svc", PASSWORD).closeAfter407(false).start()) {
      server.start(0);
      server.enqueue(new MockResponse.Builder().addHeader("Request-Id", "req_logged")
          .body("{\"id\":\"pi_logged\",\"echo\":\"" + CARD + "\",\"key\":\"" + OTHER_KEY + "\"}").build());
      ProxySettings settings = ProxySettings.builder().host("127.0.0.1").port(proxy.port())
          .basicAuth("svc", PASSWORD).build();
      StripeTransport transport = transport(server.url("/").toString(), settings, 5, null);

      String log = captured(() -> transport.post("/v1/payment_intents",
          Map.of("payment_method_data", Map.of("card", Map.of("number", CARD, "cvc", "123")),
              "description", "card " + SPACED_CARD + " for " + OTHER_KEY,
              "metadata", Map.of("note", "password is " + PASSWORD)),
          "idem-1", b -> b.readUtf8()));

      assertThat(log)
          .contains("--> POST http://")
          .contains("Authorization: Bearer ****")
          .contains("Proxy-Authorization: Basic ****")
          .contains("Idempotency-Key: idem-1")
          .contains("payment_method_data[card][cvc]=123") // the request body
          .contains("pi_logged") // the response body
          .contains("<-- 200")
          .contains("POST /v1/payment_intents -> 200 in")
          .contains("[req_logged]")
          .contains("****4242", "****5556")
          .doesNotContain(KEY)
          .doesNotContain("51LoggedKeyMustNeverAppear")
          .doesNotContain(OTHER_KEY)
          .doesNotContain(PASSWORD)
          .doesNotContain(Base64.getEncoder().encodeToString(("svc:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
          .doesNotContain(CARD)
          .doesNotContain(SPACED_CARD)
          .doesNotContain("4000%200566");
    }
  }

  @Test
  void verbosityFiveShowsTheTlsHandshakeAndPeerCertificates() throws Exception {
    HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("localhost")
        .commonName("stripe-logging-test").build();
    try (MockWebServer server = new MockWebServer()) {
      server.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslSocketFactory());
      server.start(0);
      server.enqueue(new MockResponse.Builder().body("{\"object\":\"balance\"}").build());
      HandshakeCertificates trust = new HandshakeCertificates.Builder()
          .addTrustedCertificate(certificate.certificate()).build();
      StripeTransport transport = transport(server.url("/").toString(), null, 5, trust.trustManager());

      String log = captured(() -> transport.get("/v1/balance", List.of(), b -> b.readUtf8()));

      assertThat(log)
          .contains("TLS handshake with localhost: TLSv1.")
          .contains("subject=CN=stripe-logging-test")
          .contains("sha256/")
          .contains("{\"object\":\"balance\"}")
          .doesNotContain(KEY);
    }
  }

  @Test
  void verbosityThreeIsOneLinePerRequestAndOneIsQuiet() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start(0);
      server.enqueue(new MockResponse.Builder().addHeader("Request-Id", "req_line")
          .body("{\"object\":\"list\",\"data\":[],\"has_more\":false}").build());
      server.enqueue(new MockResponse.Builder().body("{}").build());
      StripeTransport three = transport(server.url("/").toString(), null, 3, null);
      StripeTransport one = transport(server.url("/").toString(), null, 1, null);

      String log = captured(() -> three.get("/v1/charges", List.of(Map.entry("limit", "3")), b -> b.readUtf8()));
      String quiet = captured(() -> one.get("/v1/balance", List.of(), b -> b.readUtf8()));

      assertThat(log.lines()).hasSize(1).first().asString()
          .contains("INFO dev.sluice.stripe.http - GET /v1/charges?limit=3 -> 200 in ")
          .endsWith("ms [req_line]");
      assertThat(quiet).isEmpty();
    }
  }

  @Test
  void verbosityIsOneToFive() {
    assertThatThrownBy(() -> StripeConnection.builder().verbosity(0)).hasMessageContaining("1 to 5");
    assertThatThrownBy(() -> StripeConnection.builder().verbosity(6)).hasMessageContaining("1 to 5");
    assertThat(StripeConnection.builder().apiKey(KEY).verbosity(4).build().verbosity()).isEqualTo(4);
  }
}
