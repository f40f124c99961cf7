package dev.sluice.stripe.internal;

import dev.sluice.stripe.StripeApiException;
import dev.sluice.stripe.StripeAuthenticationException;
import dev.sluice.stripe.StripeCardException;
import dev.sluice.stripe.StripeConnectionException;
import dev.sluice.stripe.StripeException;
import dev.sluice.stripe.StripeIdempotencyException;
import dev.sluice.stripe.StripeInvalidRequestException;
import dev.sluice.stripe.StripePermissionException;
import dev.sluice.stripe.StripeRateLimitException;
import dev.sluice.stripe.http.ProxySettings;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.stripe.internal.http.FormEncoder;
import dev.sluice.stripe.internal.http.HttpClients;
import dev.sluice.stripe.internal.http.HttpLog;
import dev.sluice.stripe.internal.http.RateLimiter;
import dev.sluice.stripe.internal.http.TunnelSocketFactory;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * The one HTTP transport of a Stripe connection, which every Stripe call goes through: the
 * authentication headers, the throttle, retries with backoff, the proxy, logging, and Stripe's
 * errors turned into {@link StripeException}s.
 *
 * <p>A request is tried again, up to {@code maxRetries} more times, after a 429 ({@code
 * rate_limit}, {@code lock_timeout}), a 409, a 5xx, a connection failure, or an answer cut short
 * or malformed; {@code Stripe-Should-Retry} overrides that choice either way. Waits double from
 * {@code initialBackoff} with jitter, up to {@code maxBackoff}, and are at least what {@code
 * Retry-After} asks (within the same cap). Each try waits its turn at the throttle. A POST keeps
 * its {@code Idempotency-Key} across tries, so Stripe does it at most once.
 */
public final class StripeTransport {
  private static final String USER_AGENT = "Sluice/0.1";
  private static final long MAX_ERROR_BODY = 64 * 1024;
  private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

  /**
   * Everything the transport is made from; {@code StripeConnection}'s settings. {@link #toString()}
   * shows neither the API key nor the proxy password.
   */
  public record Config(
      String apiKey,
      String apiBase,
      String stripeAccount,
      String stripeVersion,
      Duration connectTimeout,
      Duration readTimeout,
      int maxRetries,
      Duration initialBackoff,
      Duration maxBackoff,
      ProxySettings proxy,
      Throttle throttle,
      int verbosity,
      X509TrustManager trustManager,
      RateLimiter.Ticker ticker) {

    /** Whether the key is a live-mode key (else a test-mode key). */
    public boolean livemode() {
      return apiKey.contains("_live_");
    }

    /** The settings without the API key (the proxy shows itself without its password). */
    @Override
    public String toString() {
      return "Config{apiKey=****, apiBase=" + apiBase + ", stripeAccount=" + stripeAccount
          + ", stripeVersion=" + stripeVersion + ", connectTimeout=" + connectTimeout
          + ", readTimeout=" + readTimeout + ", maxRetries=" + maxRetries
          + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", proxy=" + proxy
          + ", throttle=" + throttle + ", verbosity=" + verbosity + "}";
    }
  }

  private final String apiKey;
  private final HttpUrl apiBase;
  private final String stripeAccount;
  private final String stripeVersion;
  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final ProxySettings proxy;
  private final HttpLog log;
  private final OkHttpClient client;

  /** A transport with Stripe's default throttle, no proxy and verbosity 1. */
  public StripeTransport(
      String apiKey,
      String apiBase,
      String stripeAccount,
      String stripeVersion,
      Duration connectTimeout,
      Duration readTimeout,
      int maxRetries,
      Duration initialBackoff) {
    this(new Config(apiKey, apiBase, stripeAccount, stripeVersion, connectTimeout, readTimeout, maxRetries,
        initialBackoff, Duration.ofSeconds(30), null, Throttle.stripeDefaults(), 1, null,
        RateLimiter.Ticker.SYSTEM));
  }

  /** A transport made from {@code config}. */
  public StripeTransport(Config config) {
    this.apiKey = config.apiKey();
    this.apiBase = HttpUrl.get(config.apiBase());
    this.stripeAccount = config.stripeAccount();
    this.stripeVersion = config.stripeVersion();
    this.maxRetries = config.maxRetries();
    this.initialBackoff = config.initialBackoff();
    this.maxBackoff = config.maxBackoff();
    this.proxy = config.proxy();
    List<String> secrets = new ArrayList<>();
    secrets.add(apiKey);
    if (proxy != null && proxy.password() != null) {
      secrets.add(proxy.password());
    }
    this.log = new HttpLog(config.verbosity(), secrets);
    RateLimiter limiter = new RateLimiter(config.throttle(), config.livemode(), config.ticker());
    this.client =
        HttpClients.create(apiBase, config.connectTimeout(), config.readTimeout(), proxy, config.trustManager(),
            limiter, log, USER_AGENT);
  }

  /** Reads an answer body. */
  @FunctionalInterface
  public interface BodyReader<T> {
    /** Reads the value from a successful answer's body. */
    T read(BufferedSource body) throws IOException;
  }

  /**
   * What a request gave: the parsed body, how many HTTP requests it took, how many bytes were
   * read, Stripe's request id and the {@code Stripe-Version} the answer was rendered in (either may
   * be {@code null}).
   */
  public record Result<T>(T value, int requests, long bytes, String requestId, String stripeVersion) {}

  /**
   * The shared OkHttp client: throttled, proxied and logged, but without Stripe's headers. For
   * code that must speak HTTP itself (stripe-java's HTTP client, say) over this connection's
   * pool, throttle and proxy.
   */
  public OkHttpClient okHttpClient() {
    return client;
  }

  /**
   * Masks what must never reach a log or an exception message: API keys, card numbers and this
   * connection's own secrets (its key, the proxy password). The one redaction every message about
   * this connection's calls goes through, whoever builds it.
   */
  public String redact(String text) {
    return log.redact(text);
  }

  /**
   * GETs {@code path} with query parameters, retrying what can be retried, and reads the body.
   *
   * @throws StripeException when Stripe refuses or cannot be reached
   */
  public <T> Result<T> get(String path, List<Map.Entry<String, String>> params, BodyReader<T> reader) {
    return execute(request(url(path, params)).get().build(), reader, true);
  }

  /**
   * As {@link #get}, but a final failure is not logged as an error: for probes whose failure is
   * an answer ({@code StripeConnection.test()}).
   */
  public <T> Result<T> probe(String path, List<Map.Entry<String, String>> params, BodyReader<T> reader) {
    return execute(request(url(path, params)).get().build(), reader, false);
  }

  /**
   * POSTs form-encoded parameters ({@code a[b]=v}, {@code items[0][x]=y}, an empty value clears a
   * field; see {@link FormEncoder}) with an {@code Idempotency-Key}, kept across retries.
   *
   * @param formParams the parameters; maps and lists nest; may be empty or {@code null}
   * @param idempotencyKey the caller's key (at most 255 characters), or {@code null} for a new
   *     random UUID
   * @throws IllegalArgumentException if the key is blank or too long, or a parameter cannot be
   *     encoded
   * @throws StripeException when Stripe refuses or cannot be reached
   */
  public <T> Result<T> post(
      String path, Map<String, ?> formParams, String idempotencyKey, BodyReader<T> reader) {
    String key = idempotencyKey == null ? UUID.randomUUID().toString() : idempotencyKey;
    if (key.isBlank() || key.length() > 255) {
      throw new IllegalArgumentException(
          "idempotencyKey must be 1 to 255 characters, was " + key.length());
    }
    String form = FormEncoder.encode(FormEncoder.flatten(formParams));
    Request request =
        request(url(path, List.of()))
            .post(RequestBody.create(form, FORM))
            .header("Idempotency-Key", key)
            .build();
    return execute(request, reader, true);
  }

  /** As {@link #post(String, Map, String, BodyReader)}, with a record's fields as the parameters. */
  public <T> Result<T> post(String path, DataRecord formParams, String idempotencyKey, BodyReader<T> reader) {
    return post(path, formParams == null ? null : formParams.asMap(), idempotencyKey, reader);
  }

  /**
   * DELETEs {@code path}, with parameters (form-encoded as for POST) in the query.
   *
   * @param params the parameters, or {@code null}
   * @throws StripeException when Stripe refuses or cannot be reached
   */
  public <T> Result<T> delete(String path, Map<String, ?> params, BodyReader<T> reader) {
    return execute(request(url(path, FormEncoder.flatten(params))).delete().build(), reader, true);
  }

  private HttpUrl url(String path, List<Map.Entry<String, String>> params) {
    HttpUrl.Builder url = apiBase.newBuilder().encodedPath(apiBase.encodedPath().replaceAll("/$", "") + path);
    for (Map.Entry<String, String> p : params) {
      url.addQueryParameter(p.getKey(), p.getValue());
    }
    return url.build();
  }

  private Request.Builder request(HttpUrl url) {
    Request.Builder request = new Request.Builder().url(url);
    request.header("Authorization", "Bearer " + apiKey).header("User-Agent", USER_AGENT);
    if (stripeAccount != null) {
      request.header("Stripe-Account", stripeAccount);
    }
    if (stripeVersion != null) {
      request.header("Stripe-Version", stripeVersion);
    }
    return request;
  }

  private <T> Result<T> execute(Request request, BodyReader<T> reader, boolean logFailures) {
    try {
      return attempt(request, reader);
    } catch (StripeException e) {
      if (logFailures) {
        log.failure(e.getMessage());
      }
      throw e;
    }
  }

  private <T> Result<T> attempt(Request request, BodyReader<T> reader) {
    long bytes = 0;
    String what = callName(request);
    for (int attempt = 0; ; attempt++) {
      boolean last = attempt >= maxRetries;
      try (Response response = send(request)) {
        String requestId = response.header("Request-Id");
        if (response.isSuccessful()) {
          CountingSource counting = new CountingSource(response.body().source());
          try {
            T value = reader.read(Okio.buffer(counting));
            return new Result<>(value, attempt + 1, bytes + counting.count, requestId,
                response.header("Stripe-Version"));
          } catch (IOException | JsonFormatException e) {
            bytes += counting.count;
            interrupted(e);
            if (last) {
              throw new StripeConnectionException(
                  "The answer to " + what + " from " + apiBase
                      + " was cut short or malformed after " + (attempt + 1) + " attempts: "
                      + log.redact(e.getMessage()), response.code(), requestId, null, null, null, e);
            }
            pause(attempt, null, what + " answered " + response.code() + " but the answer was cut short or malformed");
            continue;
          }
        }
        if (response.code() == 407) {
          throw new StripeConnectionException(
              "The proxy " + proxyName() + " refused the credentials for " + what
                  + " (HTTP 407): check the proxy user, password and auth scheme",
              407, null, null, null, null, null);
        }
        Buffer errorBody = new Buffer();
        response.body().source().read(errorBody, MAX_ERROR_BODY);
        bytes += errorBody.size();
        StripeException error = error(request, response.code(), requestId, errorBody.readUtf8(), attempt + 1);
        if (retryable(response) && !last) {
          pause(attempt, response.header("Retry-After"), error.getMessage());
          continue;
        }
        throw error;
      } catch (IOException e) {
        unreachable(e, what, attempt, last);
      }
    }
  }

  /**
   * After a request got no usable answer: throws when retries are used up, the thread was
   * interrupted or the proxy refused us; otherwise waits before the next attempt.
   */
  private void unreachable(IOException e, String what, int attempt, boolean last) {
    interrupted(e);
    String cause = "Cannot reach the Stripe API at " + apiBase
        + (proxy == null ? "" : " through the proxy " + proxyName()) + ": " + describe(e);
    boolean refused = e instanceof TunnelSocketFactory.TunnelRefusedException
        || "Failed to authenticate with proxy".equals(e.getMessage());
    if (last || refused) {
      throw new StripeConnectionException(
          log.redact(cause + (attempt > 0 ? " (after " + (attempt + 1) + " attempts)" : "")),
          refused && e instanceof TunnelSocketFactory.TunnelRefusedException t ? t.status() : 0,
          null, null, null, null, e);
    }
    pause(attempt, null, what + ": " + cause);
  }

  /** A raw answer: status, headers and the whole body. */
  public record RawResponse(int code, Map<String, List<String>> headers, byte[] body, int attempts) {}

  /**
   * Sends a request built by another client library (stripe-java's pipeline) through this
   * transport and reads the whole answer, retrying what {@link #get} retries. Stripe's errors are
   * returned, not thrown, for the caller to interpret; only a failure to get any answer throws.
   *
   * @throws StripeConnectionException when no whole answer came after the retries
   */
  public RawResponse exchange(Request request) {
    String what = callName(request);
    for (int attempt = 0; ; attempt++) {
      boolean last = attempt >= maxRetries;
      try (Response response = send(request)) {
        byte[] body = response.body().bytes();
        if (!response.isSuccessful() && !last && retryable(response) && response.code() != 407) {
          pause(attempt, response.header("Retry-After"), what + " answered HTTP " + response.code());
          continue;
        }
        return new RawResponse(response.code(), response.headers().toMultimap(), body, attempt + 1);
      } catch (IOException e) {
        unreachable(e, what, attempt, last);
      }
    }
  }

  /** One try of {@code request}, with a fresh tag for what the throttle and the log note of it. */
  private Response send(Request request) throws IOException {
    return client.newCall(request.newBuilder().tag(HttpLog.CallTag.class, new HttpLog.CallTag()).build()).execute();
  }

  /** The method and path of a request, such as {@code GET /v1/charges}, as messages name it. */
  private static String callName(Request request) {
    return request.method() + " " + request.url().encodedPath();
  }

  private static boolean retryable(Response response) {
    String shouldRetry = response.header("Stripe-Should-Retry");
    return shouldRetry != null
        ? Boolean.parseBoolean(shouldRetry)
        : response.code() == 429 || response.code() == 409 || response.code() >= 500;
  }

  private String proxyName() {
    return proxy == null ? "" : proxy.host() + ":" + proxy.port();
  }

  /** Stops at once, keeping the interrupt, when the thread was interrupted (not a timeout). */
  private void interrupted(Exception e) {
    if (Thread.currentThread().isInterrupted()
        || (e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)
            && "Interrupted while waiting for the throttle".equals(e.getMessage()))) {
      Thread.currentThread().interrupt();
      throw new StripeConnectionException(
          "Interrupted while calling the Stripe API at " + apiBase, 0, null, null, null, null, e);
    }
  }

  private StripeException error(Request request, int status, String requestId, String body, int attempts) {
    String type = null;
    String code = null;
    String param = null;
    String message = null;
    String declineCode = null;
    try {
      DataRecord error = DataRecord.fromJson(body).getRecord("error");
      if (error != null) {
        type = error.getString("type");
        code = error.getString("code");
        param = error.getString("param");
        message = error.getString("message");
        declineCode = error.getString("decline_code");
      }
    } catch (RuntimeException notStripeJson) {
      // Not Stripe's envelope (a proxy's page, say): report the status alone.
    }
    return stripeError(callName(request), status, requestId, type,
        code, param, log.redact(message == null ? "no Stripe error message" : message), declineCode,
        attempts, null);
  }

  /**
   * The exception for an error Stripe answered, by its type and status: the one mapping every
   * Stripe call of Sluice uses, whoever parsed the answer.
   *
   * @param call the method and path, such as {@code GET /v1/charges}
   * @param message Stripe's message, already redacted
   * @param attempts how many attempts the call took
   */
  public static StripeException stripeError(String call, int status, String requestId, String type,
      String code, String param, String message, String declineCode, int attempts, Throwable cause) {
    String what =
        call + " answered HTTP " + status
            + (type == null ? "" : " " + type) + (code == null ? "" : " (" + code + ")")
            + (declineCode == null ? "" : " decline_code " + declineCode)
            + (requestId == null ? "" : " [request " + requestId + "]")
            + (attempts > 1 ? " after " + attempts + " attempts" : "")
            + ": " + message;
    if ("idempotency_error".equals(type)) {
      return new StripeIdempotencyException(what, status, requestId, type, code, param, cause);
    }
    if ("card_error".equals(type) || status == 402 && declineCode != null) {
      return new StripeCardException(what, status, requestId, type, code, param, declineCode, cause);
    }
    switch (status) {
      case 401:
        return new StripeAuthenticationException(
            "Stripe rejected the API key. " + what, status, requestId, type, code, param, cause);
      case 403:
        return new StripePermissionException(what, status, requestId, type, code, param, cause);
      case 400:
      case 404:
        return new StripeInvalidRequestException(what, status, requestId, type, code, param, cause);
      case 429:
        return new StripeRateLimitException(what, status, requestId, type, code, param, cause);
      default:
        if (status >= 500 || status == 409) {
          return new StripeApiException(what, status, requestId, type, code, param, cause);
        }
        return new StripeException(what, status, requestId, type, code, param, cause);
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    if (e instanceof java.net.ConnectException) {
      return "connection refused" + (message == null ? "" : " (" + message + ")");
    }
    if (e instanceof java.net.UnknownHostException) {
      return "unknown host " + message;
    }
    if (e instanceof TunnelSocketFactory.TunnelRefusedException) {
      return message;
    }
    if (e instanceof InterruptedIOException) {
      return "timed out" + (message == null ? "" : " (" + message + ")");
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** The wait before retry {@code attempt + 1}, in milliseconds. */
  long backoffMillis(int attempt, String retryAfter) {
    long cap = maxBackoff.toMillis();
    long millis = Math.min(initialBackoff.toMillis() << Math.min(attempt, 20), cap);
    millis = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
    Long asked = retryAfterMillis(retryAfter);
    if (asked != null) {
      millis = Math.max(millis, Math.min(asked, cap));
    }
    return millis;
  }

  static Long retryAfterMillis(String retryAfter) {
    if (retryAfter == null || retryAfter.isBlank()) {
      return null;
    }
    String v = retryAfter.trim();
    try {
      return TimeUnit.SECONDS.toMillis(Math.max(0, Long.parseLong(v)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private void pause(int attempt, String retryAfter, String why) {
    long millis = backoffMillis(attempt, retryAfter);
    log.retry(why + "; retry " + (attempt + 1) + " of " + maxRetries + " in " + millis + " ms");
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StripeConnectionException(
          "Interrupted while waiting to retry a request to " + apiBase, 0, null, null, null, null, e);
    }
  }

  private static final class CountingSource extends ForwardingSource {
    long count;

    CountingSource(okio.Source delegate) {
      super(delegate);
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      long n = super.read(sink, byteCount);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
