package dev.sluice.stripe.internal;

import dev.sluice.stripe.StripeApiException;
import dev.sluice.stripe.StripeAuthenticationException;
import dev.sluice.stripe.StripeConnectionException;
import dev.sluice.stripe.StripeException;
import dev.sluice.stripe.StripeInvalidRequestException;
import dev.sluice.stripe.StripePermissionException;
import dev.sluice.stripe.StripeRateLimitException;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * The one HTTP transport of a Stripe connection: authentication headers, retries with backoff,
 * and Stripe's errors turned into {@link StripeException}s.
 */
public final class StripeTransport {
  private static final String USER_AGENT = "Sluice/0.1";
  private static final long MAX_ERROR_BODY = 64 * 1024;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final String apiKey;
  private final HttpUrl apiBase;
  private final String stripeAccount;
  private final String stripeVersion;
  private final int maxRetries;
  private final Duration initialBackoff;
  private final OkHttpClient client;

  public StripeTransport(
      String apiKey,
      String apiBase,
      String stripeAccount,
      String stripeVersion,
      Duration connectTimeout,
      Duration readTimeout,
      int maxRetries,
      Duration initialBackoff) {
    this.apiKey = apiKey;
    this.apiBase = HttpUrl.get(apiBase);
    this.stripeAccount = stripeAccount;
    this.stripeVersion = stripeVersion;
    this.maxRetries = maxRetries;
    this.initialBackoff = initialBackoff;
    this.client =
        new OkHttpClient.Builder()
            .connectTimeout(connectTimeout)
            .readTimeout(readTimeout)
            .retryOnConnectionFailure(false)
            .build();
  }

  /** Reads an answer body. */
  @FunctionalInterface
  public interface BodyReader<T> {
    T read(BufferedSource body) throws IOException;
  }

  /**
   * What a request gave: the parsed body, how many HTTP requests it took and how many bytes were
   * read.
   */
  public record Result<T>(T value, int requests, long bytes, String requestId) {}

  /**
   * GETs {@code path} with query parameters, retrying what can be retried, and reads the body.
   *
   * @throws StripeException when Stripe refuses or cannot be reached
   */
  public <T> Result<T> get(String path, List<Map.Entry<String, String>> params, BodyReader<T> reader) {
    HttpUrl.Builder url = apiBase.newBuilder().encodedPath(apiBase.encodedPath().replaceAll("/$", "") + path);
    for (Map.Entry<String, String> p : params) {
      url.addQueryParameter(p.getKey(), p.getValue());
    }
    Request.Builder request = new Request.Builder().url(url.build()).get();
    request.header("Authorization", "Bearer " + apiKey).header("User-Agent", USER_AGENT);
    if (stripeAccount != null) {
      request.header("Stripe-Account", stripeAccount);
    }
    if (stripeVersion != null) {
      request.header("Stripe-Version", stripeVersion);
    }
    return execute(request.build(), reader);
  }

  private <T> Result<T> execute(Request request, BodyReader<T> reader) {
    long bytes = 0;
    for (int attempt = 0; ; attempt++) {
      boolean last = attempt >= maxRetries;
      try (Response response = client.newCall(request).execute()) {
        String requestId = response.header("Request-Id");
        if (response.isSuccessful()) {
          CountingSource counting = new CountingSource(response.body().source());
          try {
            T value = reader.read(Okio.buffer(counting));
            return new Result<>(value, attempt + 1, bytes + counting.count, requestId);
          } catch (IOException | JsonFormatException e) {
            bytes += counting.count;
            if (last) {
              throw new StripeConnectionException(
                  "The answer to GET " + request.url().encodedPath() + " from " + apiBase
                      + " was cut short or malformed after " + (attempt + 1) + " attempts: "
                      + e.getMessage(), response.code(), requestId, null, null, null, e);
            }
            pause(attempt, null);
            continue;
          }
        }
        Buffer errorBody = new Buffer();
        response.body().source().read(errorBody, MAX_ERROR_BODY);
        bytes += errorBody.size();
        if (retryable(response) && !last) {
          pause(attempt, response.header("Retry-After"));
          continue;
        }
        throw error(request, response.code(), requestId, errorBody.readUtf8(), attempt + 1);
      } catch (IOException e) {
        if (last) {
          throw new StripeConnectionException(
              "Cannot reach the Stripe API at " + apiBase + ": " + describe(e)
                  + (attempt > 0 ? " (after " + (attempt + 1) + " attempts)" : ""),
              0, null, null, null, null, e);
        }
        pause(attempt, null);
      }
    }
  }

  /** A raw answer: status, headers and the whole body. */
  public record RawResponse(int code, Map<String, List<String>> headers, byte[] body) {}

  /**
   * Sends a request built by another client library (stripe-java's pipeline) through this
   * transport and reads the whole answer, retrying what {@link #get} retries. Stripe's errors are
   * returned, not thrown, for the caller to interpret; only a failure to get any answer throws.
   *
   * @throws StripeConnectionException when no whole answer came after the retries
   */
  public RawResponse exchange(Request request) {
    for (int attempt = 0; ; attempt++) {
      boolean last = attempt >= maxRetries;
      try (Response response = client.newCall(request).execute()) {
        byte[] body = response.body().bytes();
        if (!response.isSuccessful() && !last && retryable(response)) {
          pause(attempt, response.header("Retry-After"));
          continue;
        }
        return new RawResponse(response.code(), response.headers().toMultimap(), body);
      } catch (IOException e) {
        if (last) {
          throw new StripeConnectionException(
              "Cannot reach the Stripe API at " + apiBase + ": " + describe(e)
                  + (attempt > 0 ? " (after " + (attempt + 1) + " attempts)" : ""),
              0, null, null, null, null, e);
        }
        pause(attempt, null);
      }
    }
  }

  private static boolean retryable(Response response) {
    String shouldRetry = response.header("Stripe-Should-Retry");
    return shouldRetry != null
        ? Boolean.parseBoolean(shouldRetry)
        : response.code() == 429 || response.code() == 409 || response.code() >= 500;
  }

  private StripeException error(Request request, int status, String requestId, String body, int attempts) {
    String type = null;
    String code = null;
    String param = null;
    String message = null;
    try {
      DataRecord error = DataRecord.fromJson(body).getRecord("error");
      if (error != null) {
        type = error.getString("type");
        code = error.getString("code");
        param = error.getString("param");
        message = error.getString("message");
      }
    } catch (RuntimeException notStripeJson) {
      // Not Stripe's envelope (a proxy's page, say): report the status alone.
    }
    String what =
        "GET " + request.url().encodedPath() + " answered HTTP " + status
            + (type == null ? "" : " " + type) + (code == null ? "" : " (" + code + ")")
            + (requestId == null ? "" : " [request " + requestId + "]")
            + (attempts > 1 ? " after " + attempts + " attempts" : "")
            + ": " + Redactor.redact(message == null ? "no Stripe error message" : message);
    switch (status) {
      case 401:
        return new StripeAuthenticationException(
            "Stripe rejected the API key. " + what, status, requestId, type, code, param, null);
      case 403:
        return new StripePermissionException(what, status, requestId, type, code, param, null);
      case 400:
      case 404:
        return new StripeInvalidRequestException(what, status, requestId, type, code, param, null);
      case 429:
        return new StripeRateLimitException(what, status, requestId, type, code, param, null);
      default:
        if (status >= 500 || status == 409) {
          return new StripeApiException(what, status, requestId, type, code, param, null);
        }
        return new StripeException(what, status, requestId, type, code, param, null);
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
    if (e instanceof InterruptedIOException) {
      return "timed out" + (message == null ? "" : " (" + message + ")");
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private void pause(int attempt, String retryAfter) {
    long millis = initialBackoff.toMillis() << Math.min(attempt, 20);
    millis = Math.min(millis, MAX_BACKOFF.toMillis());
    millis = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
    if (retryAfter != null) {
      try {
        millis = Math.max(millis, Math.min(TimeUnit.SECONDS.toMillis(Long.parseLong(retryAfter.trim())), MAX_BACKOFF.toMillis()));
      } catch (NumberFormatException ignored) {
        // Retry-After as an HTTP date: keep our own backoff.
      }
    }
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
