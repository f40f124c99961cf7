package dev.sluice.stripe.internal;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.net.ApiResource;
import com.stripe.net.HttpClient;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.StripeConnectionException;
import dev.sluice.stripe.StripeException;
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
  private final StripeTransport transport;

  /**
   * A reader over {@code transport} with stripe-java's client set up for {@code connection}.
   *
   * @param connection where the API is and which account to act for
   * @param transport the connection's transport, which sends every request
   * @param apiKey the connection's API key (not public on the connection)
   */
  public StripeJavaResourceReader(StripeConnection connection, StripeTransport transport, String apiKey) {
    this.transport = transport;
    this.httpClient = new TransportHttpClient(transport, connection.stripeVersion());
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
    return new ListPage(data, body.getBoolean("has_more"), fetched.requests(), fetched.bytes(),
        fetched.apiVersion());
  }

  @Override
  public Fetched retrieve(String path, Map<String, String> params) {
    HttpUrl.Builder builder = HttpUrl.get("http://x" + path).newBuilder();
    params.forEach(builder::addQueryParameter);
    HttpUrl url = builder.build();
    String relative = url.encodedPath() + (url.encodedQuery() == null ? "" : "?" + url.encodedQuery());
    TransportHttpClient.Counts counts = httpClient.startCounting();
    StripeResponse response;
    try {
      response = client.rawRequest(ApiResource.RequestMethod.GET, relative, null);
    } catch (com.stripe.exception.StripeException e) {
      throw translate(e, path);
    }
    try {
      DataRecord body = DataRecord.fromJson(response.body());
      return new Fetched(body, counts.requests, counts.bytes,
          response.headers().firstValue("Stripe-Version").orElse(null));
    } catch (JsonFormatException e) {
      throw new StripeConnectionException("The answer to GET " + path + " is not JSON: " + transport.redact(e.getMessage()),
          response.code(), response.requestId(), null, null, null, e);
    }
  }

  /** stripe-java's exception as ours, its message masked by the transport's one redaction. */
  private StripeException translate(com.stripe.exception.StripeException e, String path) {
    if (e instanceof ApiConnectionException) {
      return new StripeConnectionException(transport.redact(e.getMessage()), 0, null, null, null, null, e);
    }
    com.stripe.model.StripeError error = e.getStripeError();
    String message = error != null && error.getMessage() != null ? error.getMessage() : e.getMessage();
    return StripeTransport.stripeError("GET " + path, e.getStatusCode() == null ? 0 : e.getStatusCode(),
        e.getRequestId(), error == null ? null : error.getType(), e.getCode(),
        error == null ? null : error.getParam(), transport.redact(message),
        error == null ? null : error.getDeclineCode(), 1, e);
  }

  @Override
  public String toString() {
    return "StripeReaders.stripeJava";
  }

  /** stripe-java's HTTP client interface, sending through the Sluice transport. */
  static final class TransportHttpClient extends HttpClient {
    private final StripeTransport transport;
    /** What the requests of one call cost; stripe-java sends on the calling thread. */
    static final class Counts {
      int requests;
      long bytes;
    }

    private final ThreadLocal<Counts> counts = ThreadLocal.withInitial(Counts::new);

    /** Starts counting the requests this thread sends next. */
    Counts startCounting() {
      Counts fresh = new Counts();
      counts.set(fresh);
      return fresh;
    }

    /** The connection's pinned API version, which replaces the one stripe-java pins; or null. */
    private final String stripeVersion;

    TransportHttpClient(StripeTransport transport, String stripeVersion) {
      this.transport = transport;
      this.stripeVersion = stripeVersion;
    }

    @Override
    public StripeResponse request(StripeRequest request) throws com.stripe.exception.StripeException {
      Request.Builder okRequest = new Request.Builder().url(request.url().toString());
      for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
        for (String value : header.getValue()) {
          okRequest.addHeader(header.getKey(), value);
        }
      }
      if (stripeVersion != null) {
        // Objects are read as raw JSON, so the connection's version can replace stripe-java's.
        okRequest.header("Stripe-Version", stripeVersion);
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
      Counts c = counts.get();
      c.requests += raw.attempts();
      c.bytes += raw.body().length;
      return new StripeResponse(raw.code(), HttpHeaders.of(raw.headers()),
          new String(raw.body(), StandardCharsets.UTF_8));
    }
  }
}
