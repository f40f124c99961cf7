package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.xdm.DataRecord;
import java.io.BufferedReader;
import java.io.IOException;
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

  /** A client's digest answer (RFC 7616, MD5, qop=auth), computed in the test. */
  static String digest(String challenge, String user, String password, String method, String uri) {
    Matcher realm = Pattern.compile("realm=\"([^\"]+)\"").matcher(challenge);
    Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
    assertThat(realm.find() && nonce.find()).isTrue();
    String cnonce = "0a4f113b";
    String nc = "00000001";
    String ha1 = md5(user + ":" + realm.group(1) + ":" + password);
    String ha2 = md5(method + ":" + uri);
    String response = md5(ha1 + ":" + nonce.group(1) + ":" + nc + ":" + cnonce + ":auth:" + ha2);
    return "Digest username=\"" + user + "\", realm=\"" + realm.group(1) + "\", nonce=\""
        + nonce.group(1) + "\", uri=\"" + uri + "\", qop=auth, nc=" + nc + ", cnonce=\"" + cnonce
        + "\", response=\"" + response + "\", algorithm=MD5";
  }

  static String md5(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
