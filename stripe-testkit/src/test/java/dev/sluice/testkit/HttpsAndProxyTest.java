package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.xdm.DataRecord;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class HttpsAndProxyTest {
  static final String KEY = "Bearer " + StripeHttp.KEY;

  static OkHttpClient trusting(StripeEmulator e) {
    return new OkHttpClient.Builder().sslSocketFactory(e.sslSocketFactory(), e.trustManager()).build();
  }

  static DataRecord get(OkHttpClient client, String url) throws IOException {
    try (Response r = client.newCall(new Request.Builder().url(url).header("Authorization", KEY)
        .build()).execute()) {
      assertThat(r.code()).isEqualTo(200);
      return DataRecord.fromJson(r.body().string());
    }
  }

  @Test
  void httpsWithASelfSignedCertificateTheTestTrusts() throws Exception {
    try (StripeEmulator e = StripeEmulator.builder().https(true).objectsPerResource(10).start()) {
      assertThat(e.baseUrl()).startsWith("https://127.0.0.1:");
      assertThat(e.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
      assertThat(get(trusting(e), e.baseUrl() + "/v1/charges?limit=2").getList("data")).hasSize(2);
      OkHttpClient untrusting = new OkHttpClient();
      assertThatThrownBy(() -> untrusting.newCall(new Request.Builder()
          .url(e.baseUrl() + "/v1/charges").build()).execute())
          .isInstanceOf(SSLHandshakeException.class);
    }
    try (StripeEmulator plain = StripeEmulator.builder().start()) {
      assertThatThrownBy(plain::trustManager).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void connectTunnelThroughABasicAuthProxy() throws Exception {
    try (StripeEmulator e = StripeEmulator.builder().https(true).objectsPerResource(10).start();
        LoopbackProxy proxy = LoopbackProxy.builder().basic("alice", "s3cret").start()) {
      OkHttpClient base = trusting(e).newBuilder().proxy(proxy.proxy()).build();
      assertThatThrownBy(() -> get(base, e.baseUrl() + "/v1/charges"))
          .isInstanceOf(IOException.class);
      OkHttpClient client = base.newBuilder().proxyAuthenticator((route, response) ->
          response.request().header("Proxy-Authorization") != null ? null
              : response.request().newBuilder()
                  .header("Proxy-Authorization", Credentials.basic("alice", "s3cret")).build())
          .build();
      assertThat(get(client, e.baseUrl() + "/v1/charges?limit=3").getList("data")).hasSize(3);
      assertThat(proxy.log()).contains("CONNECT 127.0.0.1:" + e.port() + " -> 407",
          "CONNECT 127.0.0.1:" + e.port() + " -> 200");
      assertThat(proxy.log().toString()).doesNotContain("s3cret");

      OkHttpClient wrong = base.newBuilder().proxyAuthenticator((route, response) ->
          response.request().header("Proxy-Authorization") != null ? null
              : response.request().newBuilder()
                  .header("Proxy-Authorization", Credentials.basic("alice", "nope")).build())
          .build();
      assertThatThrownBy(() -> get(wrong, e.baseUrl() + "/v1/charges")).isInstanceOf(IOException.class);
    }
  }

  @Test
  void forwardPlainHttpThroughADigestAuthProxy() throws Exception {
    try (StripeEmulator e = StripeEmulator.builder().objectsPerResource(10).start();
        LoopbackProxy proxy = LoopbackProxy.builder().digest("bob", "pässword").start()) {
      OkHttpClient client = new OkHttpClient.Builder().proxy(proxy.proxy())
          .proxyAuthenticator((route, response) -> {
            if (response.request().header("Proxy-Authorization") != null) {
              return null;
            }
            String challenge = response.header("Proxy-Authenticate");
            String uri = response.request().url().toString();
            return response.request().newBuilder().header("Proxy-Authorization",
                digest(challenge, "bob", "pässword", response.request().method(), uri)).build();
          })
          .build();
      assertThat(get(client, e.baseUrl() + "/v1/customers?limit=4").getList("data")).hasSize(4);
      try (Response r = client.newCall(new Request.Builder().url(e.baseUrl() + "/v1/customers")
          .header("Authorization", KEY)
          .post(RequestBody.create("name=Proxied", MediaType.get("application/x-www-form-urlencoded")))
          .build()).execute()) {
        assertThat(r.code()).isEqualTo(200);
        assertThat(DataRecord.fromJson(r.body().string()).getString("name")).isEqualTo("Proxied");
      }
      assertThat(proxy.log()).anyMatch(l -> l.startsWith("GET " + e.baseUrl()) && l.endsWith("407"))
          .anyMatch(l -> l.startsWith("POST " + e.baseUrl()) && l.endsWith("forwarded"));
      assertThat(e.requests()).allMatch(r -> r.header("Proxy-Authorization") == null);
    }
  }

  @Test
  void eachForwardedRequestPassesTheProxyEvenWhenTheTargetKeepsItsConnectionsOpen() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (ServerSocket target = keepAliveTarget(seen);
        LoopbackProxy proxy = LoopbackProxy.builder().basic("alice", "s3cret").start()) {
      OkHttpClient client = new OkHttpClient.Builder().proxy(proxy.proxy())
          .proxyAuthenticator((route, response) ->
              response.request().header("Proxy-Authorization") != null ? null
                  : response.request().newBuilder()
                      .header("Proxy-Authorization", Credentials.basic("alice", "s3cret")).build())
          .build();
      String base = "http://127.0.0.1:" + target.getLocalPort();
      for (int i = 0; i < 3; i++) {
        try (Response r = client.newCall(new Request.Builder().url(base + "/v1/charges?i=" + i).build())
            .execute()) {
          assertThat(r.code()).isEqualTo(200);
          assertThat(r.body().string()).isEqualTo("ok");
          assertThat(r.header("Connection")).isEqualTo("close");
          assertThat(r.header("Keep-Alive")).isNull();
        }
      }
      // Each request was checked (407, then forwarded with credentials) and reached the target
      // rewritten, none sent raw down a connection the client kept.
      assertThat(proxy.log()).filteredOn(l -> l.endsWith(" -> forwarded")).hasSize(3);
      assertThat(proxy.log()).filteredOn(l -> l.endsWith(" -> 407")).hasSize(3);
      assertThat(seen).hasSize(3).allSatisfy(head -> assertThat(head).startsWith("GET /v1/charges?i=")
          .doesNotContainIgnoringCase("Proxy-Authorization"));
    }
  }

  /**
   * A target on loopback that answers every request {@code ok} and keeps the connection open, even
   * when asked to close it; {@code seen} gets each request's head.
   */
  static ServerSocket keepAliveTarget(List<String> seen) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          Thread t = new Thread(() -> answerAll(s, seen), "keep-alive-target-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException closed) {
          return;
        }
      }
    }, "keep-alive-target");
    accept.setDaemon(true);
    accept.start();
    return server;
  }

  static void answerAll(Socket s, List<String> seen) {
    try (s; BufferedReader in = new BufferedReader(
        new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))) {
      OutputStream out = s.getOutputStream();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        StringBuilder head = new StringBuilder(line);
        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
          head.append('\n').append(h);
        }
        seen.add(head.toString());
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=5\r\n\r\nok"
            .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
    } catch (IOException ignored) {
      // the proxy went away
    }
  }

  @Test
  void strictSha256DigestAnsweredOnTheConnectionThatWasChallenged() throws Exception {
    try (StripeEmulator e = StripeEmulator.builder().objectsPerResource(3).start();
        LoopbackProxy proxy = LoopbackProxy.builder().digestSha256("carol", "pa55")
            .strictDigest(true).digestOpaque("0p4que").closeAfter407(false).start()) {
      String target = "127.0.0.1:" + e.port();
      String sha256;
      String good;
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
        String refused = connect(s, target, null);
        assertThat(refused).startsWith("HTTP/1.1 407 ").doesNotContain("Connection: close");
        List<String> challenges = refused.lines().filter(l -> l.startsWith("Proxy-Authenticate: "))
            .map(l -> l.substring("Proxy-Authenticate: ".length())).toList();
        assertThat(challenges).hasSize(2);
        sha256 = challenges.get(0);
        assertThat(sha256).contains("algorithm=SHA-256", "opaque=\"0p4que\"");
        assertThat(challenges.get(1)).contains("algorithm=MD5", "opaque=\"0p4que\"");
        // Each wrong answer gets another 407 on the same connection.
        assertThat(connect(s, target, digest(challenges.get(1), "carol", "pa55", "CONNECT", target,
            "MD5", "00000001"))).startsWith("HTTP/1.1 407 "); // the MD5 decoy
        assertThat(connect(s, target, digest(sha256, "carol", "pa55", "CONNECT", target, "SHA-256",
            "00000001").replace(", opaque=\"0p4que\"", ""))).startsWith("HTTP/1.1 407 ");
        assertThat(connect(s, target, digest(sha256, "carol", "pa55", "CONNECT", "127.0.0.1:1",
            "SHA-256", "00000001"))).startsWith("HTTP/1.1 407 "); // another uri than the target
        good = digest(sha256, "carol", "pa55", "CONNECT", target, "SHA-256", "00000001");
        assertThat(connect(s, target, good)).startsWith("HTTP/1.1 200 ");
        assertThat(get(s, "/v1/charges?limit=2")).startsWith("HTTP/1.1 200 ").contains("\"data\"");
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
        assertThat(connect(s, target, good)).startsWith("HTTP/1.1 407 "); // a replayed nonce count
        assertThat(connect(s, target, digest(sha256, "carol", "pa55", "CONNECT", target, "SHA-256",
            "00000002"))).startsWith("HTTP/1.1 200 ");
      }
      assertThat(proxy.requestLines()).hasSize(7)
          .allSatisfy(line -> assertThat(line).isEqualTo("CONNECT " + target + " HTTP/1.1"));
      assertThat(proxy.proxyAuthorizations()).hasSize(6).contains(good)
          .allSatisfy(a -> assertThat(a).startsWith("Digest username=\"carol\""));
      assertThat(proxy.log()).filteredOn(l -> l.endsWith(" -> 407")).hasSize(5);
      assertThat(proxy.log()).filteredOn(l -> l.endsWith(" -> 200")).hasSize(2);
    }
  }

  @Test
  void byDefaultA407ClosesTheConnection() throws Exception {
    try (LoopbackProxy proxy = LoopbackProxy.builder().basic("alice", "s3cret").start();
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      assertThat(connect(s, "127.0.0.1:1", null)).startsWith("HTTP/1.1 407 ")
          .contains("Proxy-Authenticate: Basic realm=", "Connection: close");
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(proxy.proxyAuthorizations()).isEmpty();
      assertThat(proxy.requestLines()).containsExactly("CONNECT 127.0.0.1:1 HTTP/1.1");
    }
  }

  @Test
  void digestOpaqueMustBePrintableAsciiWithoutQuotes() {
    assertThatThrownBy(() -> LoopbackProxy.builder().digestOpaque("a\"b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoopbackProxy.builder().digestOpaque("a\r\nb"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Sends {@code CONNECT target} on {@code s}, with this Proxy-Authorization unless null; the
   * answer's head.
   */
  static String connect(Socket s, String target, String proxyAuthorization) throws IOException {
    String request = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n"
        + (proxyAuthorization == null ? "" : "Proxy-Authorization: " + proxyAuthorization + "\r\n")
        + "\r\n";
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    return head(s.getInputStream());
  }

  /** Sends a GET to the emulator down an open tunnel {@code s}; the whole answer. */
  static String get(Socket s, String path) throws IOException {
    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + KEY
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Reads an answer's head, up to and without the blank line. */
  static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    return h.substring(0, h.length() - 4);
  }

  /** A client's digest answer (RFC 7616, MD5, qop=auth), computed in the test. */
  static String digest(String challenge, String user, String password, String method, String uri) {
    return digest(challenge, user, password, method, uri, "MD5", "00000001");
  }

  /**
   * A client's digest answer (RFC 7616, qop=auth) with {@code algorithm} (MD5 or SHA-256) and nonce
   * count {@code nc}, sending back the challenge's opaque if it has one, computed in the test.
   */
  static String digest(String challenge, String user, String password, String method, String uri,
      String algorithm, String nc) {
    Matcher realm = Pattern.compile("realm=\"([^\"]+)\"").matcher(challenge);
    Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
    Matcher opaque = Pattern.compile("opaque=\"([^\"]+)\"").matcher(challenge);
    assertThat(realm.find() && nonce.find()).isTrue();
    String cnonce = "0a4f113b";
    String ha1 = hash(algorithm, user + ":" + realm.group(1) + ":" + password);
    String ha2 = hash(algorithm, method + ":" + uri);
    String response =
        hash(algorithm, ha1 + ":" + nonce.group(1) + ":" + nc + ":" + cnonce + ":auth:" + ha2);
    return "Digest username=\"" + user + "\", realm=\"" + realm.group(1) + "\", nonce=\""
        + nonce.group(1) + "\", uri=\"" + uri + "\", qop=auth, nc=" + nc + ", cnonce=\"" + cnonce
        + "\", response=\"" + response + "\", algorithm=" + algorithm
        + (opaque.find() ? ", opaque=\"" + opaque.group(1) + "\"" : "");
  }

  static String hash(String algorithm, String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
