package dev.sluice.testkit.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side: reads a request off the wire, logs it, injects the faults asked for, checks the
 * API key and the {@code Stripe-Account} header, applies {@code Idempotency-Key}, asks the {@link
 * Api} and writes the answer with Stripe's headers ({@code Request-Id} on every answer).
 */
public final class HttpFront implements HttpHandler {
  /**
   * The API version the emulator answers in when the request names none, unless {@link
   * Backend#apiVersion(String)} changed it.
   */
  public static final String API_VERSION = "2025-09-30.clover";

  /** Receives every request once it is answered (or dropped). */
  public interface Log {
    /** One request; {@code status} 0 and {@code requestId} null if the connection was dropped. */
    void record(String method, String path, String query, Map<String, List<String>> headers,
        String body, String requestId, int status);
  }

  private final Api api;
  private final FaultState faults;
  private final Log log;
  private final Idempotency idempotency;
  private final AtomicLong requests = new AtomicLong();
  private final long requestIdSalt;
  private volatile RestrictedKeys restrictedKeys = new RestrictedKeys();

  /** A front for an API, with its faults and a log (which may be null). */
  public HttpFront(Api api, FaultState faults, Log log) {
    this.api = api;
    api.searchLag(faults::searchLagSeconds);
    api.eventLateness(faults::eventLatenessSeconds);
    this.faults = faults;
    this.log = log;
    this.idempotency = new Idempotency(api.backend());
    this.requestIdSalt = Rng.mix(System.nanoTime());
  }

  /** Sets the permissions of restricted keys; a key not registered there may do everything. */
  public void restrictedKeys(RestrictedKeys keys) {
    this.restrictedKeys = java.util.Objects.requireNonNull(keys, "keys == null");
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, List<String>> headers = lowerCase(exchange.getRequestHeaders());
    String bodyText = new String(body, StandardCharsets.UTF_8);
    long latency = faults.nextLatencyNanos();
    if (latency > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.close();
        return;
      }
    }
    FaultState.Action action = faults.next();
    if (action == FaultState.Action.DROP) {
      record(method, path, query, headers, bodyText, null, 0);
      exchange.close(); // no headers sent: the server closes the connection
      return;
    }
    String requestId = nextRequestId();
    ApiResponse response;
    switch (action) {
      case FAIL -> {
        ApiError e = new ApiError(faults.failStatus(), "api_error", null,
            "An error occurred with our connection to Stripe. Request was retried 0 times.", null);
        if (faults.failShouldRetry() != null) {
          e.header("Stripe-Should-Retry", faults.failShouldRetry().toString());
        }
        response = ApiResponse.of(e);
      }
      case LOCK_TIMEOUT -> response = ApiResponse.of(new ApiError(429, "invalid_request_error",
          "lock_timeout", "This object cannot be accessed right now because another API request"
              + " or Stripe process is currently accessing it. If you see this error"
              + " intermittently, retry the request.", null));
      case RATE_LIMITED -> response = ApiResponse.of(new ApiError(429, "invalid_request_error",
          "rate_limit", "Request rate limit exceeded. Learn more about rate limits here"
              + " https://stripe.com/docs/rate-limits.", null));
      default -> response = answer(method, path, query, headers, bodyText, requestId);
    }
    if (response.headers().containsKey(REPLAYED_ID)) {
      requestId = response.headers().remove(REPLAYED_ID);
    }
    boolean truncate = action == FaultState.Action.TRUNCATE;
    record(method, path, query, headers, bodyText, requestId, truncate ? 0 : response.status());
    write(exchange, requestId, response, truncate);
  }

  /** An internal header carrying the first request id of a replayed answer; never sent. */
  private static final String REPLAYED_ID = "X-Emulator-Replayed-Request-Id";

  private void record(String method, String path, String query, Map<String, List<String>> headers,
      String body, String requestId, int status) {
    if (log == null) {
      return;
    }
    Map<String, List<String>> masked = new LinkedHashMap<>();
    headers.forEach((k, v) -> {
      if (k.equals("authorization") || k.equals("proxy-authorization")) {
        List<String> out = new ArrayList<>();
        v.forEach(value -> out.add(maskAuthorization(value)));
        masked.put(k, Collections.unmodifiableList(out));
      } else {
        masked.put(k, Collections.unmodifiableList(new ArrayList<>(v)));
      }
    });
    log.record(method, path, query == null ? "" : query, Collections.unmodifiableMap(masked),
        body, requestId, status);
  }

  static String maskAuthorization(String value) {
    int space = value.indexOf(' ');
    String scheme = space < 0 ? "" : value.substring(0, space + 1);
    if (scheme.equalsIgnoreCase("Bearer ")) {
      return scheme + Keys.mask(value.substring(space + 1).trim());
    }
    return scheme + "****";
  }

  private ApiResponse answer(String method, String path, String query,
      Map<String, List<String>> headers, String body, String requestId) {
    String key = Keys.fromAuthorization(first(headers, "authorization"));
    if (key == null || key.isEmpty()) {
      return ApiResponse.of(new ApiError(401, "invalid_request_error", null,
          "You did not provide an API key. You need to provide your API key in the Authorization"
              + " header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
          null));
    }
    if (!Keys.accepted(key)) {
      return ApiResponse.of(new ApiError(401, "invalid_request_error", null,
          "Invalid API Key provided: " + Keys.mask(key), null));
    }
    String account = first(headers, "stripe-account");
    if (account != null && !account.matches("acct_[A-Za-z0-9]{1,64}")) {
      return ApiResponse.of(new ApiError(403, "invalid_request_error", "account_invalid",
          "The provided key '" + Keys.mask(key) + "' does not have access to account '"
              + account.replaceAll("[^\\x20-\\x7e]", "?") + "' (or that account does not exist)."
              + " Application access may have been revoked.", null));
    }
    ApiError forbidden = restrictedKeys.check(key, method, path, account);
    if (forbidden != null) {
      return ApiResponse.of(forbidden);
    }
    try {
      Map<String, Object> queryParams = Form.parse(query);
      Map<String, Object> form = Form.parse(body);
      ApiRequest req = new ApiRequest(method, path, queryParams, form, headers, account,
          requestId);
      String idempotencyKey = first(headers, "idempotency-key");
      if (idempotencyKey == null || !method.equals("POST")) {
        return api.handle(req);
      }
      Idempotency.Answer answer = idempotency.run(account == null ? "" : account, idempotencyKey,
          List.of(method, path, form), requestId, () -> api.handle(req));
      ApiResponse r = answer.response();
      if (!answer.requestId().equals(requestId)) {
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        h.put(REPLAYED_ID, answer.requestId());
        return r.withHeaders(h);
      }
      return r;
    } catch (ApiError e) {
      return ApiResponse.of(e);
    } catch (RuntimeException e) {
      return ApiResponse.of(new ApiError(500, "api_error", null,
          "An unexpected error occurred in the Stripe emulator: " + e, null));
    }
  }

  private void write(HttpExchange exchange, String requestId, ApiResponse response,
      boolean truncate) throws IOException {
    byte[] bytes = response.json().getBytes(StandardCharsets.UTF_8);
    Headers out = exchange.getResponseHeaders();
    out.set("Content-Type", "application/json");
    out.set("Request-Id", requestId);
    String version = exchange.getRequestHeaders().getFirst("Stripe-Version");
    out.set("Stripe-Version", version != null ? version : api.backend().apiVersion());
    for (Map.Entry<String, String> h : response.headers().entrySet()) {
      out.set(h.getKey(), h.getValue());
    }
    boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
    exchange.sendResponseHeaders(response.status(), head ? -1 : bytes.length);
    if (head) {
      exchange.close();
      return;
    }
    OutputStream os = exchange.getResponseBody();
    if (truncate) {
      os.write(bytes, 0, bytes.length / 2);
      os.flush();
      // Thrown out of the handler, an IOException makes the server close the connection, so
      // the client sees the body end early instead of waiting for the missing bytes.
      throw new IOException("body truncated on purpose by the emulator's faults");
    }
    try (exchange) {
      os.write(bytes);
      os.close();
    }
  }

  private String nextRequestId() {
    long n = requests.incrementAndGet();
    Rng rng = new Rng(Rng.mix(requestIdSalt ^ n));
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    StringBuilder sb = new StringBuilder("req_");
    for (int i = 0; i < 14; i++) {
      sb.append(alphabet.charAt(rng.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  static Map<String, List<String>> lowerCase(Headers headers) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      m.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .addAll(e.getValue());
    }
    return m;
  }

  static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
