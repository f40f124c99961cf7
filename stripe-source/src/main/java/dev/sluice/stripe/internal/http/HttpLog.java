package dev.sluice.stripe.internal.http;

import dev.sluice.stripe.internal.Redactor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.CertificatePinner;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.Handshake;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a connection logs, by verbosity, through SLF4J:
 *
 * <ol>
 *   <li>requests that finally failed, at ERROR on {@code dev.sluice.stripe.http};
 *   <li>also each retry and why, at WARN on {@code dev.sluice.stripe.http};
 *   <li>also one line per HTTP request (method, path, status, milliseconds, request id), at INFO on
 *       {@code dev.sluice.stripe.http};
 *   <li>also the headers of every request and answer, at INFO on {@code dev.sluice.stripe.http.wire};
 *   <li>also their bodies, at INFO on {@code dev.sluice.stripe.http.wire}, and each connection's
 *       route and TLS details (protocol, cipher suite, peer certificates), at INFO on {@code
 *       dev.sluice.stripe.http.tls}.
 * </ol>
 *
 * <p>Every line goes through {@link Redactor}: API keys, card numbers and the proxy password are
 * masked, and the values of {@code Authorization}, {@code Proxy-Authorization} and cookie headers
 * are never written.
 */
public final class HttpLog {
  /** Logger of request lines, retries and failures. */
  public static final String CALLS = "dev.sluice.stripe.http";
  /** Logger of headers and bodies. */
  public static final String WIRE = "dev.sluice.stripe.http.wire";
  /** Logger of connections and TLS handshakes. */
  public static final String TLS = "dev.sluice.stripe.http.tls";

  private static final long MAX_BODY = 64 * 1024;

  private final int verbosity;
  private final List<String> secrets;
  private final Logger calls = LoggerFactory.getLogger(CALLS);
  private final Logger wire = LoggerFactory.getLogger(WIRE);
  private final Logger tls = LoggerFactory.getLogger(TLS);

  /**
   * @param verbosity 1 to 5
   * @param secrets literal secrets to mask wherever they appear (the API key, the proxy password)
   */
  public HttpLog(int verbosity, List<String> secrets) {
    this.verbosity = verbosity;
    this.secrets = List.copyOf(secrets);
  }

  /** The verbosity, 1 to 5. */
  public int verbosity() {
    return verbosity;
  }

  /** Masks secrets in {@code text}. */
  public String redact(String text) {
    return Redactor.redact(text, secrets);
  }

  /** A request failed for good (verbosity 1 and up). */
  public void failure(String message) {
    calls.error(redact(message));
  }

  /** A request is about to be retried (verbosity 2 and up). */
  public void retry(String message) {
    if (verbosity >= 2) {
      calls.warn(redact(message));
    }
  }

  /** The per-request line, on the application side (sees every call's outcome, even a refused connection). */
  public Interceptor callInterceptor() {
    return chain -> {
      if (verbosity < 3 || !calls.isInfoEnabled()) {
        return chain.proceed(chain.request());
      }
      Request request = chain.request();
      long start = System.nanoTime();
      try {
        Response response = chain.proceed(request);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        CallTag tag = request.tag(CallTag.class);
        String requestId = response.header("Request-Id");
        calls.info(redact(request.method() + " " + pathAndQuery(request) + " -> " + response.code()
            + " in " + ms + " ms"
            + (requestId == null ? "" : " [" + requestId + "]")
            + ("true".equals(response.header("Idempotent-Replayed")) ? " (idempotent replay)" : "")
            + (tag != null && tag.throttledNanos > 1_000_000
                ? " (throttled " + TimeUnit.NANOSECONDS.toMillis(tag.throttledNanos) + " ms)" : "")));
        return response;
      } catch (IOException e) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        calls.info(redact(request.method() + " " + pathAndQuery(request) + " failed after " + ms + " ms: "
            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        throw e;
      }
    };
  }

  /** Headers and bodies as they go on the wire (after proxy authentication and OkHttp's own headers). */
  public Interceptor wireInterceptor() {
    return chain -> {
      if (verbosity < 4 || !wire.isInfoEnabled()) {
        return chain.proceed(chain.request());
      }
      Request request = chain.request();
      Connection connection = chain.connection();
      StringBuilder out = new StringBuilder("--> ").append(request.method()).append(' ')
          .append(request.url()).append(connection == null ? "" : " " + connection.protocol()).append('\n');
      headers(out, request.headers());
      RequestBody body = request.body();
      if (body != null) {
        MediaType type = body.contentType();
        if (type != null && request.header("Content-Type") == null) {
          out.append("Content-Type: ").append(type).append('\n');
        }
        if (verbosity >= 5) {
          if (body.isDuplex() || body.isOneShot()) {
            out.append("(body not shown: it can be read only once)\n");
          } else {
            Buffer buffer = new Buffer();
            body.writeTo(buffer);
            out.append(text(buffer, buffer.size(), type)).append('\n');
          }
        }
      }
      out.append("--> END ").append(request.method());
      wire.info(redact(out.toString()));

      long start = System.nanoTime();
      Response response = chain.proceed(request);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      StringBuilder in = new StringBuilder("<-- ").append(response.code())
          .append(response.message().isEmpty() ? "" : " " + response.message())
          .append(' ').append(response.request().url()).append(" (").append(ms).append(" ms)\n");
      headers(in, response.headers());
      if (verbosity >= 5) {
        ResponseBody peek = response.peekBody(MAX_BODY);
        Buffer buffer = new Buffer();
        long n = peek.source().readAll(buffer);
        ResponseBody whole = response.body();
        long length = whole.contentLength();
        in.append(text(buffer, length >= 0 ? length : n, peek.contentType())).append('\n');
      }
      in.append("<-- END HTTP");
      wire.info(redact(in.toString()));
      return response;
    };
  }

  /** Connection routes and TLS handshakes, once per connection (verbosity 5). */
  public EventListener eventListener() {
    if (verbosity < 5) {
      return EventListener.NONE;
    }
    return new EventListener() {
      @Override
      public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
        if (tls.isInfoEnabled()) {
          tls.info(redact("Connected to " + call.request().url().host() + ":" + call.request().url().port()
              + " at " + address + (proxy.type() == Proxy.Type.DIRECT ? "" : " via proxy " + proxy.address())
              + (protocol == null ? "" : " speaking " + protocol)));
        }
      }

      @Override
      public void secureConnectEnd(Call call, Handshake handshake) {
        if (handshake == null || !tls.isInfoEnabled()) {
          return;
        }
        StringBuilder out = new StringBuilder("TLS handshake with ").append(call.request().url().host())
            .append(": ").append(handshake.tlsVersion().javaName()).append(", ")
            .append(handshake.cipherSuite().javaName());
        int i = 0;
        for (Certificate c : handshake.peerCertificates()) {
          out.append("\n  peer certificate ").append(i++).append(": ");
          if (c instanceof X509Certificate x) {
            out.append("subject=").append(x.getSubjectX500Principal().getName())
                .append("; issuer=").append(x.getIssuerX500Principal().getName())
                .append("; serial=").append(x.getSerialNumber().toString(16))
                .append("; valid ").append(x.getNotBefore().toInstant()).append(" to ")
                .append(x.getNotAfter().toInstant())
                .append("; ").append(CertificatePinner.pin(x));
          } else {
            out.append(c.getType());
          }
        }
        tls.info(redact(out.toString()));
      }
    };
  }

  private static String pathAndQuery(Request request) {
    String query = request.url().encodedQuery();
    return request.url().encodedPath() + (query == null ? "" : "?" + query);
  }

  private static void headers(StringBuilder out, Headers headers) {
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      String value = headers.value(i);
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("authorization") || lower.equals("proxy-authorization")) {
        int space = value.indexOf(' ');
        value = (space > 0 ? value.substring(0, space) + " " : "") + "****";
      } else if (lower.equals("cookie") || lower.equals("set-cookie")) {
        value = "****";
      }
      out.append(name).append(": ").append(value).append('\n');
    }
  }

  private static String text(Buffer buffer, long length, MediaType type) {
    boolean textual = type == null
        || "text".equals(type.type())
        || type.subtype().contains("json")
        || type.subtype().contains("x-www-form-urlencoded")
        || type.subtype().contains("xml");
    if (!textual) {
      return "(" + length + " bytes of " + type + ")";
    }
    long have = buffer.size();
    String s = buffer.readUtf8();
    return length > have ? s + "… (" + length + " bytes in all)" : s;
  }

  /** Per-call facts the transport and the throttle share with the log: attached as the request's tag. */
  public static final class CallTag {
    /** How long the call waited for the throttle. */
    public volatile long throttledNanos;
  }
}
