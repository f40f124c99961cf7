package dev.sluice.stripe.internal.http;

import dev.sluice.stripe.http.ProxySettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Authenticator;
import okhttp3.Challenge;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

/**
 * Answers a proxy's {@code 407} with {@code Proxy-Authorization}: Basic, or Digest after RFC 7616
 * (and RFC 2617's form without {@code qop}), {@code qop=auth} with MD5, SHA-256 and their
 * {@code -sess} variants, counting nonce uses. Works for forwarded requests and {@code CONNECT}
 * tunnels alike: OkHttp calls it for both, and {@link TunnelSocketFactory} for its own tunnels.
 *
 * <p>The last Digest challenge is kept, so later requests and tunnels authenticate up front with
 * the next nonce count instead of being refused first. Gives up (returns {@code null}) when the
 * proxy refuses the credentials it was just sent, unless it says the nonce was only stale.
 */
public final class ProxyAuthenticator implements Authenticator {
  private static final String PREEMPTIVE = "OkHttp-Preemptive";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ProxySettings settings;
  private volatile DigestChallenge last;

  /** Authenticates with the scheme, user and password of {@code settings}. */
  public ProxyAuthenticator(ProxySettings settings) {
    this.settings = settings;
  }

  @Override
  public Request authenticate(Route route, Response response) {
    if (response.code() != 407 || settings.authScheme() == ProxySettings.AuthScheme.NONE) {
      return null;
    }
    Request prior = response.request();
    List<Challenge> challenges = response.challenges();
    boolean preemptive =
        challenges.stream().anyMatch(c -> c.scheme().equalsIgnoreCase(PREEMPTIVE));
    String priorAuth = prior.header("Proxy-Authorization");
    if (settings.authScheme() == ProxySettings.AuthScheme.BASIC) {
      if (!preemptive && priorAuth != null && priorAuth.regionMatches(true, 0, "Basic ", 0, 6)) {
        return null; // these very credentials were refused
      }
      return prior.newBuilder().header("Proxy-Authorization", basic()).build();
    }
    if (preemptive) {
      String header = preemptiveHeader(prior.method(), requestTarget(prior));
      return header == null ? null : prior.newBuilder().header("Proxy-Authorization", header).build();
    }
    DigestChallenge chosen = null;
    for (Challenge c : challenges) {
      DigestChallenge d = DigestChallenge.parse(c);
      if (d != null && (chosen == null || d.strength() > chosen.strength())) {
        chosen = d;
      }
    }
    if (chosen == null) {
      return null;
    }
    if (priorAuth != null && priorAuth.regionMatches(true, 0, "Digest ", 0, 7) && !chosen.stale
        && (priorAuth.contains("nonce=\"" + chosen.nonce + "\"") || priorAuth.contains("nc=00000001"))) {
      // Refused an answer to a fresh challenge, or with a nonce it still holds valid, and not
      // for staleness: the user or password is wrong (RFC 7616 3.3). An answer reusing an older
      // nonce (nc above 1) gets one more try with the new challenge.
      return null;
    }
    last = chosen;
    return prior.newBuilder()
        .header("Proxy-Authorization", chosen.answer(settings, prior.method(), requestTarget(prior)))
        .build();
  }

  /**
   * The {@code Proxy-Authorization} to send before any challenge: Basic credentials, or a Digest
   * answer to the last challenge seen; {@code null} when there is none yet.
   */
  public String preemptiveHeader(String method, String requestTarget) {
    switch (settings.authScheme()) {
      case BASIC:
        return basic();
      case DIGEST:
        DigestChallenge d = last;
        return d == null ? null : d.answer(settings, method, requestTarget);
      default:
        return null;
    }
  }

  private String basic() {
    return Credentials.basic(settings.user(), settings.password(), StandardCharsets.UTF_8);
  }

  /** The request-target of the request line a proxy sees: {@code host:port} for CONNECT, the whole URL otherwise. */
  static String requestTarget(Request request) {
    HttpUrl url = request.url();
    if ("CONNECT".equals(request.method())) {
      return authority(url.host(), url.port());
    }
    return url.toString();
  }

  static String authority(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** One Digest challenge a proxy sent. */
  static final class DigestChallenge {
    final String realm;
    final String nonce;
    final String opaque;
    final String algorithm;
    final boolean qopAuth;
    final boolean stale;
    final boolean userhash;
    final AtomicInteger count = new AtomicInteger();

    private DigestChallenge(Map<String, String> p, String algorithm, boolean qopAuth) {
      realm = p.getOrDefault("realm", "");
      nonce = p.get("nonce");
      opaque = p.get("opaque");
      this.algorithm = algorithm;
      this.qopAuth = qopAuth;
      stale = "true".equalsIgnoreCase(p.get("stale"));
      userhash = "true".equalsIgnoreCase(p.get("userhash"));
    }

    /** The challenge, or {@code null} if it is not Digest or asks for what we cannot do. */
    static DigestChallenge parse(Challenge c) {
      if (!c.scheme().equalsIgnoreCase("Digest")) {
        return null;
      }
      Map<String, String> p = c.authParams();
      if (p.get("nonce") == null) {
        return null;
      }
      String algorithm = p.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
      if (!List.of("MD5", "MD5-SESS", "SHA-256", "SHA-256-SESS").contains(algorithm)) {
        return null;
      }
      String qop = p.get("qop");
      boolean auth = false;
      if (qop != null) {
        for (String q : qop.split(",")) {
          auth |= q.trim().equalsIgnoreCase("auth");
        }
        if (!auth) {
          return null; // auth-int only
        }
      }
      return new DigestChallenge(p, algorithm, auth);
    }

    int strength() {
      return algorithm.startsWith("SHA-256") ? 2 : 1;
    }

    String answer(ProxySettings s, String method, String uri) {
      String base = algorithm.endsWith("-SESS") ? algorithm.substring(0, algorithm.length() - 5) : algorithm;
      String cnonce = HexFormat.of().formatHex(randomBytes());
      String nc = String.format("%08x", count.incrementAndGet());
      String ha1 = hash(base, s.user() + ":" + realm + ":" + s.password());
      if (algorithm.endsWith("-SESS")) {
        ha1 = hash(base, ha1 + ":" + nonce + ":" + cnonce);
      }
      String ha2 = hash(base, method + ":" + uri);
      String response =
          qopAuth
              ? hash(base, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)
              : hash(base, ha1 + ":" + nonce + ":" + ha2);
      String user = userhash ? hash(base, s.user() + ":" + realm) : s.user();
      StringBuilder h = new StringBuilder("Digest ");
      h.append("username=").append(quote(user))
          .append(", realm=").append(quote(realm))
          .append(", nonce=").append(quote(nonce))
          .append(", uri=").append(quote(uri))
          .append(", algorithm=").append(algorithm.endsWith("-SESS") ? base + "-sess" : base)
          .append(", response=").append(quote(response));
      if (qopAuth) {
        h.append(", qop=auth, nc=").append(nc).append(", cnonce=").append(quote(cnonce));
      }
      if (opaque != null) {
        h.append(", opaque=").append(quote(opaque));
      }
      if (userhash) {
        h.append(", userhash=true");
      }
      return h.toString();
    }

    private static byte[] randomBytes() {
      byte[] b = new byte[16];
      RANDOM.nextBytes(b);
      return b;
    }

    private static String quote(String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String hash(String algorithm, String text) {
      try {
        MessageDigest md = MessageDigest.getInstance(algorithm);
        return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(algorithm + " is not available", e);
      }
    }
  }
}
