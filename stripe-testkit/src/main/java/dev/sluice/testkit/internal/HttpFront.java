package dev.sluice.testkit.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side: reads a request off the wire, checks the API key, decodes parameters, asks the
 * {@link Api} and writes the answer with Stripe's headers ({@code Request-Id} on every answer).
 */
public final class HttpFront implements HttpHandler {
  /** The API version the emulator answers in when the request names none. */
  public static final String API_VERSION = "2025-09-30.clover";

  private final Api api;
  private final AtomicLong requests = new AtomicLong();
  private final long requestIdSalt;

  public HttpFront(Api api) {
    this.api = api;
    this.requestIdSalt = Rng.mix(System.nanoTime());
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String requestId = nextRequestId();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      ApiResponse response = answer(exchange, body, requestId);
      write(exchange, requestId, response);
    }
  }

  private ApiResponse answer(HttpExchange exchange, byte[] body, String requestId) {
    Map<String, List<String>> headers = lowerCase(exchange.getRequestHeaders());
    String authorization = first(headers, "authorization");
    String key = Keys.fromAuthorization(authorization);
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
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    try {
      Map<String, Object> query = Form.parse(exchange.getRequestURI().getRawQuery());
      Map<String, Object> form = Form.parse(new String(body, StandardCharsets.UTF_8));
      ApiRequest req = new ApiRequest(method, exchange.getRequestURI().getRawPath(), query, form,
          headers, first(headers, "stripe-account"), requestId);
      return api.handle(req);
    } catch (ApiError e) {
      return ApiResponse.of(e);
    } catch (RuntimeException e) {
      return ApiResponse.of(new ApiError(500, "api_error", null,
          "An unexpected error occurred in the Stripe emulator: " + e, null));
    }
  }

  private void write(HttpExchange exchange, String requestId, ApiResponse response)
      throws IOException {
    byte[] bytes = response.body().toJson().getBytes(StandardCharsets.UTF_8);
    Headers out = exchange.getResponseHeaders();
    out.set("Content-Type", "application/json");
    out.set("Request-Id", requestId);
    String version = exchange.getRequestHeaders().getFirst("Stripe-Version");
    out.set("Stripe-Version", version != null ? version : API_VERSION);
    for (Map.Entry<String, String> h : response.headers().entrySet()) {
      out.set(h.getKey(), h.getValue());
    }
    boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
    exchange.sendResponseHeaders(response.status(), head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(bytes);
      }
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
      m.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
          .addAll(e.getValue());
    }
    return m;
  }

  static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
