package dev.sluice.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy on {@code 127.0.0.1} for testing clients that must go through one: it forwards
 * plain HTTP requests (absolute-form) and tunnels HTTPS with {@code CONNECT}, and can demand
 * {@code BASIC} or {@code DIGEST} (MD5 or SHA-256) proxy authentication, answering 407 with a
 * challenge otherwise.
 * It only connects to loopback addresses (anything else gets a 403), so it is safe to leave open.
 *
 * <pre>{@code
 * try (StripeEmulator stripe = StripeEmulator.builder().https(true).start();
 *     LoopbackProxy proxy = LoopbackProxy.builder().basic("user", "secret").start()) {
 *   OkHttpClient client = new OkHttpClient.Builder()
 *       .proxy(proxy.proxy())
 *       .proxyAuthenticator((route, response) -> response.request().newBuilder()
 *           .header("Proxy-Authorization", Credentials.basic("user", "secret")).build())
 *       .sslSocketFactory(stripe.sslSocketFactory(), stripe.trustManager())
 *       .build();
 * }
 * }</pre>
 *
 * <p>{@link #log()} lists what reached the proxy, credentials left out; {@link #requestLines()}
 * and {@link #proxyAuthorizations()} show the request lines and credentials exactly as sent.
 * Thread-safe.
 */
public final class LoopbackProxy implements AutoCloseable {
  /** The proxy authentication a {@link LoopbackProxy} demands. */
  private enum Auth {
    /** No authentication. */
    NONE,
    /** {@code Proxy-Authorization: Basic base64(user:password)}. */
    BASIC,
    /** RFC 7616 digest with MD5 and {@code qop=auth}. */
    DIGEST,
    /** RFC 7616 digest with SHA-256 and {@code qop=auth}, offered ahead of an MD5 decoy. */
    DIGEST_SHA256
  }

  private static final String REALM = "sluice-loopback-proxy";
  /** One {@code name=value} or {@code name="value"} parameter of a Digest answer. */
  private static final Pattern DIGEST_PARAM = Pattern.compile("(\\w+)\\s*=\\s*(\"([^\"]*)\"|[^,\\s]+)");

  private final Auth auth;
  private final String user;
  private final String password;
  private final int port;
  private final boolean closeAfter407;
  private final boolean strictDigest;
  private final String opaque;
  /** The nonces handed out, each with the highest {@code nc} accepted with it (0: none yet). */
  private final Map<String, Long> nonces = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> requestLines = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
  private final SecureRandom random = new SecureRandom();
  private ServerSocket server;
  private ExecutorService threads;

  private LoopbackProxy(Builder b) {
    this.auth = b.auth;
    this.user = b.user;
    this.password = b.password;
    this.port = b.port;
    this.closeAfter407 = b.closeAfter407;
    this.strictDigest = b.strictDigest;
    this.opaque = b.opaque;
  }

  /** A builder for a proxy without authentication on any free port. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts accepting connections.
   *
   * @return this proxy
   * @throws UncheckedIOException if the port cannot be bound
   * @throws IllegalStateException if started before
   */
  public synchronized LoopbackProxy start() {
    if (server != null) {
      throw new IllegalStateException("The proxy was already started");
    }
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not listen on 127.0.0.1:" + port, e);
    }
    AtomicInteger n = new AtomicInteger();
    threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "loopback-proxy-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ServerSocket s = server;
    threads.execute(() -> {
      while (!s.isClosed()) {
        try {
          Socket client = s.accept();
          threads.execute(() -> serve(client));
        } catch (IOException e) {
          return; // closed
        }
      }
    });
    return this;
  }

  /**
   * The port it listens on.
   *
   * @throws IllegalStateException if not started
   */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("The proxy is not started");
    }
    return server.getLocalPort();
  }

  /**
   * The proxy as a {@link Proxy} for {@code OkHttpClient.Builder.proxy} or stripe-java.
   *
   * @throws IllegalStateException if not started
   */
  public Proxy proxy() {
    return new Proxy(Proxy.Type.HTTP, new InetSocketAddress(InetAddress.getLoopbackAddress(), port()));
  }

  /**
   * What reached the proxy, oldest first: {@code "CONNECT 127.0.0.1:4321 -> 200"}, {@code "GET
   * http://127.0.0.1:4321/v1/charges -> 407"}. Credentials are never shown.
   */
  public List<String> log() {
    return List.copyOf(new ArrayList<>(log));
  }

  /**
   * The request lines that reached the proxy, oldest first, exactly as sent: {@code "CONNECT
   * 127.0.0.1:4321 HTTP/1.1"}, {@code "GET http://127.0.0.1:4321/v1/charges HTTP/1.1"}. One for
   * each request, whatever the answer (even a malformed one, which {@link #log()} leaves out).
   */
  public List<String> requestLines() {
    return List.copyOf(new ArrayList<>(requestLines));
  }

  /**
   * The {@code Proxy-Authorization} headers that reached the proxy, oldest first, exactly as sent,
   * whether accepted or not (requests without one add nothing). Unlike {@link #log()} they hold
   * the credentials (a {@code Basic} one is the password in Base64): they are for tests of what a
   * client answers, such as its Digest {@code nc} or {@code algorithm}.
   */
  public List<String> proxyAuthorizations() {
    return List.copyOf(new ArrayList<>(authorizations));
  }

  /** Stops accepting and closes open connections. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    threads.shutdownNow();
    server = null;
  }

  @Override
  public String toString() {
    return "LoopbackProxy{auth=" + auth + (user != null ? ", user=" + user : "") + "}";
  }

  // ------------------------------------------------------------------ one connection

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      while (serveOne(client, in, out)) {
        // a 407 left the connection open: read the client's next request on it
      }
    } catch (IOException | RuntimeException e) {
      // the client or the target went away: nothing to tell anyone
    }
  }

  /** Serves one request; true if it was refused with 407 and the connection stays open. */
  private boolean serveOne(Socket client, InputStream in, OutputStream out) throws IOException {
    String head = readHead(in);
    if (head == null) {
      return false;
    }
    String[] lines = head.split("\r\n");
    requestLines.add(lines[0]);
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3) {
      respond(out, 400, "Bad Request", null);
      return false;
    }
    String method = requestLine[0];
    String target = requestLine[1];
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> rawHeaders = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
        rawHeaders.add(lines[i]);
      }
    }
    String entry = method + " " + target;
    String given = headers.get("proxy-authorization");
    if (given != null) {
      authorizations.add(given);
    }
    if (!authorized(method, target, given)) {
      log.add(entry + " -> 407");
      boolean keepOpen = !closeAfter407 && bodyEndKnown(headers);
      respond(out, 407, "Proxy Authentication Required", challenges(), !keepOpen);
      if (keepOpen) {
        skipBody(in, headers);
      }
      return keepOpen;
    }
    String host;
    int targetPort;
    String originForm = null;
    if (method.equals("CONNECT")) {
      int colon = target.lastIndexOf(':');
      host = colon < 0 ? target : target.substring(0, colon);
      targetPort = colon < 0 ? 443 : Integer.parseInt(target.substring(colon + 1));
    } else {
      URI uri = URI.create(target);
      if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
        log.add(entry + " -> 400");
        respond(out, 400, "Bad Request", null);
        return false;
      }
      host = uri.getHost();
      targetPort = uri.getPort() < 0 ? 80 : uri.getPort();
      originForm = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
          + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
    }
    if (!isLoopback(host)) {
      log.add(entry + " -> 403");
      respond(out, 403, "Forbidden", null);
      return false;
    }
    try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
      if (method.equals("CONNECT")) {
        log.add(entry + " -> 200");
        out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } else {
        log.add(entry + " -> forwarded");
        StringBuilder sb = new StringBuilder(method).append(' ').append(originForm)
            .append(" HTTP/1.1\r\n");
        for (String h : rawHeaders) {
          String name = h.substring(0, h.indexOf(':')).trim().toLowerCase(Locale.ROOT);
          if (!name.equals("proxy-authorization") && !isConnectionHeader(name)) {
            sb.append(h).append("\r\n");
          }
        }
        sb.append("Connection: close\r\n\r\n");
        upstream.getOutputStream().write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        upstream.getOutputStream().flush();
      }
      pipe(client, upstream, !method.equals("CONNECT"));
    }
    return false;
  }

  /**
   * Whether the end of a refused request's body can be told from its head, so the next request on
   * the connection can be found: not for a chunked one, nor one that waits for {@code 100
   * Continue}.
   */
  private static boolean bodyEndKnown(Map<String, String> headers) {
    if (headers.containsKey("transfer-encoding") || headers.containsKey("expect")) {
      return false;
    }
    String length = headers.get("content-length");
    return length == null || length.trim().matches("\\d{1,18}");
  }

  /** Reads past a request's body of {@code Content-Length} bytes (none without that header). */
  private static void skipBody(InputStream in, Map<String, String> headers) throws IOException {
    String length = headers.get("content-length");
    if (length != null) {
      in.skipNBytes(Long.parseLong(length.trim()));
    }
  }

  /**
   * Copies both ways until either side closes; for a forwarded request ({@code forwarded}), the
   * target's answer head first goes through {@link #relayAnswerHead}.
   */
  private void pipe(Socket client, Socket upstream, boolean forwarded) throws IOException {
    Thread toUpstream = new Thread(() -> {
      try {
        client.getInputStream().transferTo(upstream.getOutputStream());
      } catch (IOException ignored) {
        // one side closed
      } finally {
        try {
          upstream.shutdownOutput();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }, "loopback-proxy-pipe");
    toUpstream.setDaemon(true);
    toUpstream.start();
    try {
      if (forwarded) {
        relayAnswerHead(upstream.getInputStream(), client.getOutputStream());
      }
      upstream.getInputStream().transferTo(client.getOutputStream());
    } finally {
      client.close();
      upstream.close();
    }
  }

  /**
   * Relays the head of the target's answer to a forwarded request saying {@code Connection:
   * close}, as the proxy ends the connection after it: a target may keep its side open despite
   * being asked to close, and a client told nothing would send its next request down the same
   * connection, where it would reach the target raw, never checked. Interim {@code 1xx} answers
   * pass as they are, and so does a {@code 101}, after which the connection is the target's.
   */
  private static void relayAnswerHead(InputStream from, OutputStream to) throws IOException {
    while (true) {
      String head = readHead(from);
      if (head == null) {
        return; // the target closed, or its head is too long to be HTTP: nothing to relay
      }
      String[] lines = head.split("\r\n");
      String[] status = lines[0].split(" ", 3);
      int code = status.length > 1 && status[1].matches("\\d{3}") ? Integer.parseInt(status[1]) : 0;
      if (code >= 100 && code < 200) {
        to.write(head.getBytes(StandardCharsets.ISO_8859_1));
        to.flush();
        if (code == 101) {
          return;
        }
        continue;
      }
      StringBuilder sb = new StringBuilder(lines[0]).append("\r\n");
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        String name = colon < 0 ? "" : lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
        if (!isConnectionHeader(name)) {
          sb.append(lines[i]).append("\r\n");
        }
      }
      sb.append("Connection: close\r\n\r\n");
      to.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
      to.flush();
      return;
    }
  }

  /**
   * Whether a header (name in lower case) is about the connection it came on, which the proxy
   * replaces with its own {@code Connection: close} both ways.
   */
  private static boolean isConnectionHeader(String name) {
    return name.equals("connection") || name.equals("keep-alive") || name.equals("proxy-connection");
  }

  private static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.equals("127.0.0.1") || h.equalsIgnoreCase("localhost") || h.equals("::1");
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int state = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      buf.write(b);
      if (buf.size() > 64 * 1024) {
        return null;
      }
      state = (b == '\r' && (state == 0 || state == 2)) ? state + 1
          : (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        return buf.toString(StandardCharsets.ISO_8859_1);
      }
    }
  }

  private static void respond(OutputStream out, int status, String reason, List<String> challenges)
      throws IOException {
    respond(out, status, reason, challenges, true);
  }

  private static void respond(OutputStream out, int status, String reason, List<String> challenges,
      boolean close) throws IOException {
    StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason)
        .append("\r\n");
    if (challenges != null) {
      for (String challenge : challenges) {
        sb.append("Proxy-Authenticate: ").append(challenge).append("\r\n");
      }
    }
    sb.append("Content-Length: 0\r\n").append(close ? "Connection: close\r\n" : "").append("\r\n");
    out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  // ------------------------------------------------------------------ authentication

  private List<String> challenges() {
    if (auth == Auth.BASIC) {
      return List.of("Basic realm=\"" + REALM + "\"");
    }
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    String nonce = HexFormat.of().formatHex(bytes);
    nonces.put(nonce, 0L);
    String withOpaque = opaque == null ? "" : ", opaque=\"" + opaque + "\"";
    String md5 = "Digest realm=\"" + REALM + "\", qop=\"auth\", nonce=\"" + nonce + "\"" + withOpaque;
    if (auth == Auth.DIGEST) {
      // no algorithm named: MD5 by RFC 7616's default, and how many proxies send it
      return List.of(md5);
    }
    // Both, the stronger first; only a SHA-256 answer passes, so the client must pick it.
    return List.of("Digest realm=\"" + REALM + "\", qop=\"auth,auth-int\", algorithm=SHA-256, "
        + "nonce=\"" + nonce + "\"" + withOpaque, md5 + ", algorithm=MD5");
  }

  private boolean authorized(String method, String target, String header) {
    if (auth == Auth.NONE) {
      return true;
    }
    if (header == null) {
      return false;
    }
    if (auth == Auth.BASIC) {
      if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
        return false;
      }
      try {
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
            StandardCharsets.UTF_8);
        return decoded.equals(user + ":" + password);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (!header.regionMatches(true, 0, "Digest ", 0, 7)) {
      return false;
    }
    Map<String, String> p = new LinkedHashMap<>();
    Matcher m = DIGEST_PARAM.matcher(header.substring(7));
    while (m.find()) {
      p.put(m.group(1).toLowerCase(Locale.ROOT), m.group(3) != null ? m.group(3) : m.group(2));
    }
    String nonce = p.get("nonce");
    if (!Objects.equals(p.get("username"), user) || nonce == null || !nonces.containsKey(nonce)
        || !REALM.equals(p.get("realm")) || p.get("uri") == null || p.get("response") == null) {
      return false;
    }
    if (opaque != null && !opaque.equals(p.get("opaque"))) {
      return false;
    }
    String algorithm = auth == Auth.DIGEST_SHA256 ? "SHA-256" : "MD5";
    long nc = 0;
    if (strictDigest) {
      if (!target.equals(p.get("uri")) || !"auth".equals(p.get("qop"))
          || !algorithm.equalsIgnoreCase(p.getOrDefault("algorithm", "MD5"))
          || p.get("nc") == null || !p.get("nc").matches("[0-9a-fA-F]{1,8}")) {
        return false;
      }
      nc = Long.parseLong(p.get("nc"), 16);
    }
    String ha1 = hash(algorithm, user + ":" + REALM + ":" + password);
    String ha2 = hash(algorithm, method + ":" + p.get("uri"));
    String expected = p.containsKey("qop")
        ? hash(algorithm, ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":"
            + p.get("qop") + ":" + ha2)
        : hash(algorithm, ha1 + ":" + nonce + ":" + ha2);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        p.get("response").toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
      return false;
    }
    if (strictDigest) {
      synchronized (nonces) {
        if (nc <= nonces.get(nonce)) {
          return false; // a count no higher than one already accepted with this nonce: a replay
        }
        nonces.put(nonce, nc);
      }
    }
    return true;
  }

  private static String hash(String algorithm, String s) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Configures a {@link LoopbackProxy}. */
  public static final class Builder {
    private Auth auth = Auth.NONE;
    private String user;
    private String password;
    private int port;
    private boolean closeAfter407 = true;
    private boolean strictDigest;
    private String opaque;

    private Builder() {}

    /** Demands {@code Basic} proxy authentication with these credentials. */
    public Builder basic(String user, String password) {
      return auth(Auth.BASIC, user, password);
    }

    /** Demands {@code Digest} (MD5, {@code qop=auth}) proxy authentication with these credentials. */
    public Builder digest(String user, String password) {
      return auth(Auth.DIGEST, user, password);
    }

    /**
     * Demands {@code Digest} with SHA-256 ({@code qop=auth}) proxy authentication with these
     * credentials. Each 407 offers a SHA-256 challenge and then an MD5 one with the same nonce, and
     * only a SHA-256 answer passes, so a client must pick the stronger.
     */
    public Builder digestSha256(String user, String password) {
      return auth(Auth.DIGEST_SHA256, user, password);
    }

    /** Demands no authentication (the default). */
    public Builder none() {
      this.auth = Auth.NONE;
      this.user = null;
      this.password = null;
      return this;
    }

    private Builder auth(Auth auth, String user, String password) {
      this.auth = auth;
      this.user = Objects.requireNonNull(user, "user == null");
      this.password = Objects.requireNonNull(password, "password == null");
      return this;
    }

    /**
     * The port; default 0, any free port.
     *
     * @throws IllegalArgumentException if not within 0..65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Whether to close the connection after answering 407; default true. With false the 407 does
     * not say {@code Connection: close} and the client may answer the challenge on the same
     * connection (a refused request with a chunked body, or one waiting for {@code 100 Continue},
     * still has it closed).
     */
    public Builder closeAfter407(boolean close) {
      this.closeAfter407 = close;
      return this;
    }

    /**
     * Whether Digest answers are checked strictly; default false. Strictly, an answer's {@code uri}
     * must be the request's own target ({@code host:port} for {@code CONNECT}, the absolute URL
     * otherwise), its {@code qop} must be {@code auth}, its {@code algorithm} the one demanded
     * (none means MD5), and its {@code nc} must grow with each use of a nonce: a count no higher
     * than one already accepted is refused as a replay. Otherwise any {@code uri} the answer was
     * computed over is accepted, answers without {@code qop} (RFC 2069) too, and counts may
     * repeat.
     */
    public Builder strictDigest(boolean strict) {
      this.strictDigest = strict;
      return this;
    }

    /**
     * An {@code opaque} for Digest challenges, which answers must then send back unchanged;
     * default {@code null}, none.
     *
     * @throws IllegalArgumentException if it is not printable ASCII or holds a quote or backslash
     */
    public Builder digestOpaque(String opaque) {
      if (opaque != null && !opaque.matches("[\\x20-\\x7e&&[^\"\\\\]]*")) {
        throw new IllegalArgumentException(
            "opaque must be printable ASCII without quotes or backslashes");
      }
      this.opaque = opaque;
      return this;
    }

    /** Builds and starts the proxy. */
    public LoopbackProxy start() {
      return new LoopbackProxy(this).start();
    }
  }
}
