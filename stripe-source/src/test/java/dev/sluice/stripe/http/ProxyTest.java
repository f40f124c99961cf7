package dev.sluice.stripe.http;

import dev.sluice.stripe.StripeReaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ChangeSource;
import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.StripeConnectionException;
import dev.sluice.testkit.LoopbackProxy;
import dev.sluice.testkit.StripeEmulator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Round trips through a real proxy on the loopback interface, with each auth scheme and SSL type. */
class ProxyTest {
  static final String KEY = "sk_test_51ProxyTestKeyNeverShown";
  static final String PASSWORD = "pr0xy-Pa55word";
  static final String LIST =
      "{\"object\":\"list\",\"data\":[{\"id\":\"ch_1\",\"object\":\"charge\",\"created\":5}],\"has_more\":false}";

  /** What the proxy demands. */
  enum Auth { NONE, BASIC, DIGEST_MD5, DIGEST_SHA256 }

  final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  /**
   * A proxy demanding {@code auth} of svc-stripe that checks Digest answers strictly (uri, qop,
   * algorithm, growing nonce counts) and, for MD5, sends an opaque that must come back.
   */
  LoopbackProxy proxy(Auth auth, boolean closeAfter407) {
    LoopbackProxy.Builder b = LoopbackProxy.builder().closeAfter407(closeAfter407).strictDigest(true);
    switch (auth) {
      case BASIC -> b.basic("svc-stripe", PASSWORD);
      case DIGEST_MD5 -> b.digest("svc-stripe", PASSWORD).digestOpaque("op4que");
      case DIGEST_SHA256 -> b.digestSha256("svc-stripe", PASSWORD);
      case NONE -> b.none();
    }
    LoopbackProxy p = b.start();
    closeables.add(p);
    return p;
  }

  /**
   * How many requests the proxy answered with {@code status}: 407 for refused, 200 for let
   * through (a tunnel opened or a request forwarded).
   */
  static long count(LoopbackProxy proxy, int status) {
    return proxy.log().stream()
        .filter(line -> status == 200 ? line.endsWith(" -> 200") || line.endsWith(" -> forwarded")
            : line.endsWith(" -> " + status))
        .count();
  }

  /** One parameter of a Digest {@code Proxy-Authorization}, unquoted. */
  static String digestParam(String header, String name) {
    Matcher m = Pattern.compile("(?:^Digest |,)\\s*" + name + "=(?:\"([^\"]*)\"|([^,\\s]*))")
        .matcher(header);
    return !m.find() ? null : m.group(1) != null ? m.group(1) : m.group(2);
  }

  MockWebServer server() throws IOException {
    MockWebServer s = new MockWebServer();
    s.start(0);
    closeables.add(s);
    return s;
  }

  static ProxySettings.Builder settings(LoopbackProxy proxy) {
    return ProxySettings.builder().host("127.0.0.1").port(proxy.port());
  }

  static StripeConnection.Builder connection(String apiBase, ProxySettings proxy) {
    return StripeConnection.builder().apiKey(KEY).apiBase(apiBase).proxy(proxy)
        .maxRetries(1).initialBackoff(Duration.ZERO).throttle(Throttle.none());
  }

  static List<ChangeSource.Page> readCharges(StripeConnection c) {
    List<ChangeSource.Page> pages = new ArrayList<>();
    // The incremental phase lists with one request a page (a first run would probe first).
    c.source("charges").read(dev.sluice.stripe.internal.SyncState.incremental(
        dev.sluice.stripe.internal.ListCursor.START).toJson(), pages::add);
    return pages;
  }

  static MockResponse list() {
    return new MockResponse.Builder().addHeader("Request-Id", "req_proxy").body(LIST).build();
  }

  @Test
  void basicAuthForwardsPlainHttpToTheEmulatorWithCredentialsSentUpFront() throws Exception {
    LoopbackProxy proxy = proxy(Auth.BASIC, false);
    StripeEmulator emulator = StripeEmulator.builder().seed(7).objectsPerResource(150).build().start();
    closeables.add(emulator);
    StripeConnection c = connection(emulator.baseUrl(),
        settings(proxy).basicAuth("svc-stripe", PASSWORD).build()).build();

    List<ChangeSource.Page> pages = readCharges(c);

    assertThat(pages.stream().mapToInt(p -> p.changes().size()).sum()).isEqualTo(150);
    assertThat(proxy.requestLines()).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("GET http://"));
    assertThat(count(proxy, 407)).isZero();
    assertThat(proxy.proxyAuthorizations()).allSatisfy(a -> assertThat(a).startsWith("Basic "));
  }

  @Test
  void digestMd5ForwardingAnswersOneChallengeThenCountsNonces() throws Exception {
    LoopbackProxy proxy = proxy(Auth.DIGEST_MD5, false);
    MockWebServer server = server();
    for (int i = 0; i < 3; i++) {
      server.enqueue(list());
    }
    StripeConnection c = connection(server.url("/").toString(),
        settings(proxy).digestAuth("svc-stripe", PASSWORD).sslType(ProxySettings.SslType.NEVER).build()).build();

    for (int i = 0; i < 3; i++) {
      assertThat(readCharges(c).get(0).changes()).hasSize(1);
    }

    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(server.takeRequest().getHeaders().get("Proxy-Authorization")).isNull();
    assertThat(count(proxy, 407)).isEqualTo(1);
    assertThat(count(proxy, 200)).isEqualTo(3);
    assertThat(proxy.proxyAuthorizations()).extracting(a -> digestParam(a, "nc"))
        .containsExactly("00000001", "00000002", "00000003");
  }

  @Test
  void tunnelSslTypeOpensAConnectTunnelEvenForPlainHttpWithSha256Digest() throws Exception {
    LoopbackProxy proxy = proxy(Auth.DIGEST_SHA256, true);
    MockWebServer server = server();
    server.enqueue(list());
    server.enqueue(list());
    StripeConnection c = connection(server.url("/").toString(),
        settings(proxy).digestAuth("svc-stripe", PASSWORD).sslType(ProxySettings.SslType.TUNNEL).build()).build();

    assertThat(readCharges(c).get(0).changes()).hasSize(1);
    assertThat(readCharges(c).get(0).changes()).hasSize(1);

    String authority = server.getHostName() + ":" + server.getPort();
    assertThat(proxy.requestLines()).isNotEmpty()
        .allSatisfy(line -> assertThat(line).isEqualTo("CONNECT " + authority + " HTTP/1.1"));
    assertThat(count(proxy, 407)).isEqualTo(1); // the proxy closed after it; the client came back with SHA-256
    assertThat(proxy.proxyAuthorizations().get(proxy.proxyAuthorizations().size() - 1)).contains("algorithm=SHA-256");
    RecordedRequest request = server.takeRequest();
    assertThat(request.getRequestLine()).startsWith("GET /v1/charges?");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
  }

  @Test
  void httpsGoesThroughAConnectTunnelToASelfSignedServerTheCallerTrusts() throws Exception {
    LoopbackProxy proxy = proxy(Auth.DIGEST_MD5, false);
    MockWebServer server = new MockWebServer();
    closeables.add(server);
    HeldCertificate certificate = new HeldCertificate.Builder()
        .addSubjectAlternativeName("localhost").commonName("stripe-test").build();
    server.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslSocketFactory());
    server.start(0);
    server.enqueue(list());
    HandshakeCertificates trust = new HandshakeCertificates.Builder()
        .addTrustedCertificate(certificate.certificate()).build();

    StripeConnection c = connection(server.url("/").toString(),
        settings(proxy).digestAuth("svc-stripe", PASSWORD).sslType(ProxySettings.SslType.ALWAYS).build())
        .trustManager(trust.trustManager()).build();

    assertThat(readCharges(c).get(0).changes()).extracting(ch -> ch.id()).containsExactly("ch_1");
    RecordedRequest request = server.takeRequest();
    assertThat(request.getHandshake()).isNotNull();
    assertThat(request.getHeaders().get("Proxy-Authorization")).isNull();
    assertThat(proxy.requestLines()).first().asString().startsWith("CONNECT " + server.getHostName() + ":");
    assertThat(count(proxy, 407)).isEqualTo(1);
  }

  @Test
  void httpsIsRefusedWhenTheCertificateIsNotTrusted() throws Exception {
    LoopbackProxy proxy = proxy(Auth.NONE, false);
    MockWebServer server = new MockWebServer();
    closeables.add(server);
    HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").build();
    server.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslSocketFactory());
    server.start(0);
    StripeConnection c = connection(server.url("/").toString(), settings(proxy).build()).maxRetries(0).build();
    assertThatThrownBy(() -> readCharges(c)).isInstanceOf(StripeConnectionException.class)
        .hasMessageContaining("through the proxy 127.0.0.1:" + proxy.port());
  }

  @Test
  void aWrongBasicPasswordIsOneClearFailureThatNeverShowsThePassword() throws Exception {
    LoopbackProxy proxy = proxy(Auth.BASIC, false);
    MockWebServer server = server();
    StripeConnection c = connection(server.url("/").toString(),
        settings(proxy).basicAuth("svc-stripe", "wrong-" + PASSWORD).build()).maxRetries(3).build();

    assertThatThrownBy(() -> readCharges(c))
        .isInstanceOfSatisfying(StripeConnectionException.class, e -> assertThat(e.httpStatus()).isEqualTo(407))
        .hasMessageContaining("proxy 127.0.0.1:" + proxy.port() + " refused the credentials")
        .hasMessageNotContaining(PASSWORD);
    assertThat(count(proxy, 407)).isEqualTo(1);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aWrongDigestPasswordOnATunnelIsNotRetried() throws Exception {
    LoopbackProxy proxy = proxy(Auth.DIGEST_MD5, false);
    MockWebServer server = server();
    StripeConnection c = connection(server.url("/").toString(),
        settings(proxy).digestAuth("svc-stripe", "wrong").sslType(ProxySettings.SslType.TUNNEL).build())
        .maxRetries(3).build();

    assertThatThrownBy(() -> readCharges(c))
        .isInstanceOf(StripeConnectionException.class)
        .hasMessageContaining("refused CONNECT")
        .hasMessageContaining("407")
        .hasMessageNotContaining("wrong");
    assertThat(count(proxy, 407)).isEqualTo(2); // the challenge, then the wrong answer: no retries
  }

  @Test
  void buildRefusesSslTypesThatContradictTheApiBase() {
    ProxySettings always = ProxySettings.builder().host("proxy").port(3128).sslType(ProxySettings.SslType.ALWAYS).build();
    ProxySettings never = always.newBuilder().sslType(ProxySettings.SslType.NEVER).build();
    assertThatThrownBy(() -> connection("http://localhost:12111", always).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("sslType is ALWAYS");
    assertThatThrownBy(() -> connection("https://api.stripe.com", never).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("sslType is NEVER");
    assertThat(connection("https://api.stripe.com", always).build().proxy()).isEqualTo(always);
  }

  @Test
  void proxySettingsListEveryProblemAndNeverShowThePassword() {
    assertThatThrownBy(() -> ProxySettings.builder().authScheme(ProxySettings.AuthScheme.DIGEST).build())
        .hasMessageContaining("host is not set")
        .hasMessageContaining("port is not set")
        .hasMessageContaining("user is not set")
        .hasMessageContaining("password is not set");
    assertThatThrownBy(() -> ProxySettings.builder().port(0)).hasMessageContaining("port must be 1 to 65535");
    ProxySettings p = ProxySettings.builder().host("proxy.corp").port(3128).basicAuth("svc", PASSWORD).build();
    StripeConnection c = connection("https://api.stripe.com", p).build();
    assertThat(p.toString()).contains("proxy.corp:3128", "svc").doesNotContain(PASSWORD);
    assertThat(c.toString()).contains("proxy.corp").doesNotContain(PASSWORD).doesNotContain(KEY);
  }
}
