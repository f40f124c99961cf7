package dev.sluice.stripe.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP proxy on the loopback interface for tests: forwards absolute-form requests and opens
 * CONNECT tunnels, demanding no credentials, Basic, or Digest (MD5 or SHA-256, qop=auth). Its
 * Digest check is written here from RFC 7616, independently of the code under test.
 */
final class LoopbackProxy implements Closeable {
  enum Auth { NONE, BASIC, DIGEST_MD5, DIGEST_SHA256 }

  static final String REALM = "sluice-test";

  private final Auth auth;
  private final String user;
  private final String password;
  private final boolean closeAfter407;
  private final ServerSocket server;
  private final Map<String, Integer> nonces = new ConcurrentHashMap<>();
  final List<String> requestLines = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<Integer> statuses = new CopyOnWriteArrayList<>();

  LoopbackProxy(Auth auth, String user, String password, boolean closeAfter407) throws IOException {
    this.auth = auth;
    this.user = user;
    this.password = password;
    this.closeAfter407 = closeAfter407;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "loopback-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  long count(int status) {
    return statuses.stream().filter(s -> s == status).count();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> serve(client), "loopback-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      while (true) {
        List<String> head = readHead(in);
        if (head == null) {
          return;
        }
        String requestLine = head.get(0);
        requestLines.add(requestLine);
        Map<String, String> headers = headers(head);
        String[] parts = requestLine.split(" ");
        String method = parts[0];
        String target = parts[1];
        long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes((int) length);
        String given = headers.get("proxy-authorization");
        if (given != null) {
          authorizations.add(given);
        }
        if (!authorized(method, target, given)) {
          statuses.add(407);
          StringBuilder answer = new StringBuilder("HTTP/1.1 407 Proxy Authentication Required\r\n");
          for (String challenge : challenges()) {
            answer.append("Proxy-Authenticate: ").append(challenge).append("\r\n");
          }
          answer.append("Content-Length: 7\r\n");
          if (closeAfter407) {
            answer.append("Connection: close\r\n");
          }
          answer.append("\r\nrefused");
          out.write(answer.toString().getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          if (closeAfter407) {
            return;
          }
          continue;
        }
        statuses.add(200);
        if (method.equals("CONNECT")) {
          int colon = target.lastIndexOf(':');
          try (Socket upstream = new Socket(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)))) {
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread up = new Thread(() -> pipe(in, upstream), "loopback-proxy-up");
            up.setDaemon(true);
            up.start();
            pipe(upstream.getInputStream(), client);
          }
          return;
        }
        forward(method, URI.create(target), head, body, out);
      }
    } catch (IOException | RuntimeException e) {
      // the client or the target went away
    }
  }

  private void forward(String method, URI target, List<String> head, byte[] body, OutputStream out) throws IOException {
    try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
      StringBuilder request = new StringBuilder(method).append(' ').append(target.getRawPath())
          .append(target.getRawQuery() == null ? "" : "?" + target.getRawQuery()).append(" HTTP/1.1\r\n");
      for (String line : head.subList(1, head.size())) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("proxy-") && !lower.startsWith("connection:")) {
          request.append(line).append("\r\n");
        }
      }
      request.append("Connection: close\r\n\r\n");
      OutputStream up = upstream.getOutputStream();
      up.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      up.write(body);
      up.flush();
      InputStream answer = new BufferedInputStream(upstream.getInputStream());
      List<String> answerHead = readHead(answer);
      Map<String, String> answerHeaders = headers(answerHead);
      byte[] answerBody = answerHeaders.containsKey("content-length")
          ? answer.readNBytes(Integer.parseInt(answerHeaders.get("content-length")))
          : answer.readAllBytes();
      StringBuilder back = new StringBuilder(answerHead.get(0)).append("\r\n");
      for (String line : answerHead.subList(1, answerHead.size())) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("connection:") && !lower.startsWith("content-length:")
            && !lower.startsWith("transfer-encoding:")) {
          back.append(line).append("\r\n");
        }
      }
      back.append("Content-Length: ").append(answerBody.length).append("\r\n\r\n");
      out.write(back.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(answerBody);
      out.flush();
    }
  }

  private List<String> challenges() {
    String nonce = UUID.randomUUID().toString().replace("-", "");
    nonces.put(nonce, 0);
    switch (auth) {
      case BASIC:
        return List.of("Basic realm=\"" + REALM + "\"");
      case DIGEST_MD5:
        return List.of("Digest realm=\"" + REALM + "\", qop=\"auth\", nonce=\"" + nonce + "\", opaque=\"op4que\"");
      case DIGEST_SHA256:
        // Offer both; only the stronger is accepted, so the client must pick it.
        return List.of(
            "Digest realm=\"" + REALM + "\", qop=\"auth,auth-int\", algorithm=SHA-256, nonce=\"" + nonce + "\"",
            "Digest realm=\"" + REALM + "\", qop=\"auth\", algorithm=MD5, nonce=\"" + nonce + "\"");
      default:
        return List.of();
    }
  }

  private boolean authorized(String method, String target, String given) {
    switch (auth) {
      case NONE:
        return true;
      case BASIC:
        return given != null && given.equals("Basic "
            + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
      default:
        return given != null && given.startsWith("Digest ") && digestOk(method, target, params(given.substring(7)));
    }
  }

  private boolean digestOk(String method, String target, Map<String, String> p) {
    String algorithm = auth == Auth.DIGEST_SHA256 ? "SHA-256" : "MD5";
    String nonce = p.get("nonce");
    Integer lastCount = nonce == null ? null : nonces.get(nonce);
    if (lastCount == null
        || !user.equals(p.get("username"))
        || !REALM.equals(p.get("realm"))
        || !target.equals(p.get("uri"))
        || !"auth".equals(p.get("qop"))
        || !algorithm.equalsIgnoreCase(p.getOrDefault("algorithm", "MD5"))
        || (auth == Auth.DIGEST_MD5 && !"op4que".equals(p.get("opaque")))) {
      return false;
    }
    int nc = Integer.parseInt(p.get("nc"), 16);
    if (nc <= lastCount) {
      return false; // a replayed nonce count
    }
    String ha1 = h(algorithm, user + ":" + REALM + ":" + password);
    String ha2 = h(algorithm, method + ":" + target);
    String expected = h(algorithm, ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
    if (!expected.equals(p.get("response"))) {
      return false;
    }
    nonces.put(nonce, nc);
    return true;
  }

  private static String h(String algorithm, String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static final Pattern PARAM = Pattern.compile("([A-Za-z0-9_-]+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

  static Map<String, String> params(String s) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(s);
    while (m.find()) {
      out.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3));
    }
    return out;
  }

  private static Map<String, String> headers(List<String> head) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : head.subList(1, head.size())) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        out.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    return out;
  }

  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (b == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        s = s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        if (s.isEmpty()) {
          return lines.isEmpty() ? null : lines;
        }
        lines.add(s);
        line.reset();
      } else {
        line.write(b);
      }
    }
  }

  private static void pipe(InputStream from, Socket to) {
    try {
      from.transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // one side closed
    }
  }
}
