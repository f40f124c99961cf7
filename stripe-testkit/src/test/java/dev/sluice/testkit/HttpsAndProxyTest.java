package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
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
