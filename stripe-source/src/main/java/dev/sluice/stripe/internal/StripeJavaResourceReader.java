package dev.sluice.stripe.internal;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.net.ApiResource;
import com.stripe.net.HttpClient;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import dev.sluice.stripe.StripeApiException;
import dev.sluice.stripe.StripeAuthenticationException;
import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.StripeConnectionException;
import dev.sluice.stripe.StripeException;
import dev.sluice.stripe.StripeInvalidRequestException;
import dev.sluice.stripe.StripePermissionException;
import dev.sluice.stripe.StripeRateLimitException;
import dev.sluice.stripe.StripeResourceReader;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * A reader running stripe-java's request pipeline (headers, request building, error parsing) on a
 * {@link HttpClient} of ours that sends through the connection's transport.
 */
public final class StripeJavaResourceReader implements StripeResourceReader {
  private final StripeClient client;
  private final TransportHttpClient httpClient;

  public StripeJavaResourceReader(StripeConnection connection, StripeTransport transport, String apiKey) {
    this.httpClient = new TransportHttpClient(transport);
    StripeClient.StripeClientBuilder builder =
        StripeClient.builder()
            .setApiKey(apiKey)
            .setApiBase(connection.apiBase())
            .setMaxNetworkRetries(0) // the transport retries, with Sluice's rules
            .setHttpClient(httpClient);
    if (connection.stripeAccount() != null) {
      builder.setStripeAccount(connection.stripeAccount());
    }
    this.client = builder.build();
  }

  @Override
  public ListPage list(String path, Map<String, String> params) {
    Fetched fetched = retrieve(path, params);
    DataRecord body = fetched.object();
    if (!(body.get("data") instanceof List) || !(body.get("has_more") instanceof Boolean)) {
      throw new StripeConnectionException("The answer to GET " + path + " is not a Stripe list",
          200, null, null, null, null, null);
    }
    List<DataRecord> data = new ArrayList<>();
    for (Object o : body.getList("data")) {
      data.add((DataRecord) o);
    }
    return new ListPage(data, body.getBoolean("has_more"), fetched.requests(), fetched.bytes());
  }

  @Override
  public Fetched retrieve(String path, Map<String, String> params) {
    HttpUrl.Builder url = HttpUrl.get("http://x" + path).newBuilder();
    params.forEach(url::addQueryParameter);
    String relative = url.build().encodedPath()
        + (url.build().encodedQuery() == null ? "" : "?" + url.build().encodedQuery());
    int before = httpClient.requests.get();
    long bytesBefore = httpClient.bytes.get();
    StripeResponse response;
    try {
      response = client.rawRequest(ApiResource.RequestMethod.GET, relative, null);
    } catch (com.stripe.exception.StripeException e) {
      throw translate(e, path);
    }
    try {
      DataRecord body = DataRecord.fromJson(response.body());
      return new Fetched(body, httpClient.requests.get() - before, httpClient.bytes.get() - bytesBefore);
    } catch (JsonFormatException e) {
      throw new StripeConnectionException("The answer to GET " + path + " is not JSON: " + e.getMessage(),
          response.code(), response.requestId(), null, null, null, e);
    }
  }

  private static StripeException translate(com.stripe.exception.StripeException e, String path) {
    String message = "GET " + path + " answered HTTP " + e.getStatusCode()
        + (e.getCode() == null ? "" : " (" + e.getCode() + ")")
        + (e.getRequestId() == null ? "" : " [request " + e.getRequestId() + "]")
        + ": " + Redactor.redact(e.getStripeError() != null ? e.getStripeError().getMessage() : e.getMessage());
    int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
    String type = e.getStripeError() == null ? null : e.getStripeError().getType();
    String param = e instanceof InvalidRequestException ? ((InvalidRequestException) e).getParam() : null;
    if (e instanceof AuthenticationException) {
      return new StripeAuthenticationException("Stripe rejected the API key. " + message, status,
          e.getRequestId(), type, e.getCode(), param, e);
    }
    if (e instanceof PermissionException) {
      return new StripePermissionException(message, status, e.getRequestId(), type, e.getCode(), param, e);
    }
    if (e instanceof RateLimitException) {
      return new StripeRateLimitException(message, status, e.getRequestId(), type, e.getCode(), param, e);
    }
    if (e instanceof InvalidRequestException || e instanceof IdempotencyException || e instanceof CardException) {
      return new StripeInvalidRequestException(message, status, e.getRequestId(), type, e.getCode(), param, e);
    }
    if (e instanceof ApiConnectionException) {
      return new StripeConnectionException(Redactor.redact(e.getMessage()), 0, null, null, null, null, e);
    }
    return new StripeApiException(message, status, e.getRequestId(), type, e.getCode(), param, e);
  }

  @Override
  public String toString() {
    return "StripeReaders.stripeJava";
  }

  /** stripe-java's HTTP client interface, sending through the Sluice transport. */
  static final class TransportHttpClient extends HttpClient {
    private final StripeTransport transport;
    final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    TransportHttpClient(StripeTransport transport) {
      this.transport = transport;
    }

    @Override
    public StripeResponse request(StripeRequest request) throws com.stripe.exception.StripeException {
      Request.Builder okRequest = new Request.Builder().url(request.url().toString());
      for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
        for (String value : header.getValue()) {
          okRequest.addHeader(header.getKey(), value);
        }
      }
      RequestBody body = null;
      if (request.content() != null) {
        body = RequestBody.create(request.content().byteArrayContent(),
            MediaType.get(request.content().contentType()));
      }
      switch (request.method()) {
        case GET:
          okRequest.get();
          break;
        case DELETE:
          okRequest.delete(body);
          break;
        default:
          okRequest.method(request.method().name(), body == null ? RequestBody.create(new byte[0]) : body);
      }
      StripeTransport.RawResponse raw;
      try {
        raw = transport.exchange(okRequest.build());
      } catch (StripeConnectionException e) {
        throw new ApiConnectionException(e.getMessage(), e);
      }
      requests.addAndGet(raw.attempts());
      bytes.addAndGet(raw.body().length);
      return new StripeResponse(raw.code(), HttpHeaders.of(raw.headers()),
          new String(raw.body(), StandardCharsets.UTF_8));
    }
  }
}
