package dev.sluice.stripe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stripe.StripeCardException;
import dev.sluice.stripe.StripeIdempotencyException;
import dev.sluice.stripe.StripeInvalidRequestException;
import dev.sluice.stripe.internal.StripeTransport;
import dev.sluice.stripe.internal.http.FormEncoder;
import dev.sluice.stripe.internal.http.RateLimiter;
import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST and DELETE through the transport: form encoding, idempotency keys across retries, errors a caller can act on. */
class TransportWritesTest {
  static final String KEY = "sk_test_51WritesKeyNeverShown";

  MockWebServer server = new MockWebServer();
  StripeTransport transport;

  @BeforeEach
  void start() throws IOException {
    server.start(0);
    transport = transport(3, Duration.ZERO);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  StripeTransport transport(int retries, Duration maxBackoff) {
    return new StripeTransport(new StripeTransport.Config(KEY, server.url("/").toString(), null, "2024-06-20",
        Duration.ofSeconds(5), Duration.ofSeconds(5), retries, Duration.ZERO, maxBackoff, null,
        Throttle.none(), 1, null, RateLimiter.Ticker.SYSTEM));
  }

  static String body(RecordedRequest r) {
    return URLDecoder.decode(r.getBody().utf8(), StandardCharsets.UTF_8);
  }

  static MockResponse ok(String json) {
    return new MockResponse.Builder().addHeader("Request-Id", "req_ok").body(json).build();
  }

  @Test
  void postSendsStripesFormEncodingAndAnIdempotencyKey() throws Exception {
    server.enqueue(ok("{\"id\":\"pi_1\"}"));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("amount", 1500.0);
    params.put("currency", "usd");
    params.put("metadata", Map.of("order", "A 7"));
    params.put("items", List.of(Map.of("price", "price_1"), Map.of("price", "price_2")));
    params.put("description", "");

    StripeTransport.Result<String> result =
        transport.post("/v1/payment_intents", params, null, body -> body.readUtf8());

    assertThat(result.value()).isEqualTo("{\"id\":\"pi_1\"}");
    assertThat(result.requestId()).isEqualTo("req_ok");
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(body(request)).isEqualTo(
        "amount=1500&currency=usd&metadata[order]=A 7&items[0][price]=price_1&items[1][price]=price_2&description=");
    assertThat(request.getHeaders().get("Idempotency-Key")).matches("[0-9a-f-]{36}");
  }

  @Test
  void aPostKeepsItsIdempotencyKeyAcrossRetries() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).body("{\"error\":{\"type\":\"api_error\"}}").build());
    server.enqueue(new MockResponse.Builder().body("{\"id\":\"cus_1\"}")
        .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(ok("{\"id\":\"cus_1\"}").newBuilder().addHeader("Idempotent-Replayed", "true").build());

    StripeTransport.Result<DataRecord> result = transport.post("/v1/customers",
        DataRecord.builder().put("name", "John").build(), null, b -> DataRecord.fromJson(b.readUtf8()));

    assertThat(result.value().getString("id")).isEqualTo("cus_1");
    assertThat(result.requests()).isEqualTo(3);
    String first = server.takeRequest().getHeaders().get("Idempotency-Key");
    assertThat(server.takeRequest().getHeaders().get("Idempotency-Key")).isEqualTo(first);
    assertThat(server.takeRequest().getHeaders().get("Idempotency-Key")).isEqualTo(first);
  }

  @Test
  void theCallersIdempotencyKeyIsUsedAndAReusedOneIsReportedAsSuch() throws Exception {
    server.enqueue(new MockResponse.Builder().code(400).addHeader("Request-Id", "req_idem")
        .body("{\"error\":{\"type\":\"idempotency_error\",\"message\":\"Keys for idempotent requests can only be used with the same parameters they were first used with.\"}}")
        .build());
    assertThatThrownBy(() -> transport.post("/v1/customers", Map.of("name", "Jane"), "order-42", b -> null))
        .isInstanceOfSatisfying(StripeIdempotencyException.class, e -> {
          assertThat(e.requestId()).isEqualTo("req_idem");
          assertThat(e.isRetryable()).isFalse();
        })
        .isInstanceOf(StripeInvalidRequestException.class)
        .hasMessageContaining("POST /v1/customers answered HTTP 400 idempotency_error");
    assertThat(server.takeRequest().getHeaders().get("Idempotency-Key")).isEqualTo("order-42");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThatThrownBy(() -> transport.post("/v1/customers", Map.of(), "x".repeat(256), b -> null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
  }

  @Test
  void aDeclinedCardSaysWhyAndIsNotRetried() {
    server.enqueue(new MockResponse.Builder().code(402).addHeader("Request-Id", "req_card")
        .body("{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\",\"decline_code\":\"insufficient_funds\","
            + "\"param\":\"payment_method\",\"message\":\"Your card has insufficient funds.\"}}").build());
    assertThatThrownBy(() -> transport.post("/v1/payment_intents/pi_1/confirm", Map.of(), null, b -> null))
        .isInstanceOfSatisfying(StripeCardException.class, e -> {
          assertThat(e.declineCode()).isEqualTo("insufficient_funds");
          assertThat(e.stripeCode()).isEqualTo("card_declined");
          assertThat(e.requestId()).isEqualTo("req_card");
        })
        .hasMessageContaining("insufficient funds");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void deleteSendsItsParametersInTheQuery() throws Exception {
    server.enqueue(ok("{\"id\":\"sub_1\",\"status\":\"canceled\"}"));
    transport.delete("/v1/subscriptions/sub_1", Map.of("invoice_now", true), b -> b.readUtf8());
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("DELETE");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/subscriptions/sub_1");
    assertThat(request.getUrl().queryParameter("invoice_now")).isEqualTo("true");
    assertThat(request.getHeaders().get("Idempotency-Key")).isNull();
  }

  @Test
  void retryAfterIsHonouredUpToTheCap() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1")
        .body("{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"rate_limit\"}}").build());
    server.enqueue(ok("{}"));
    long start = System.nanoTime();
    transport(1, Duration.ofMillis(300)).get("/v1/balance", List.of(), b -> null);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(ms).isBetween(250L, 5_000L); // asked for 1 s, capped at 300 ms
  }

  @Test
  void formEncodingClearsWithEmptyValuesAndKeepsNumbersExact() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("metadata", Map.of());
    params.put("tax_id_data", List.of());
    params.put("unit_amount_decimal", new BigDecimal("12.50"));
    params.put("big", 12345678901234L);
    params.put("nickname", null);
    params.put("expand", List.of("customer", "invoice"));
    assertThat(FormEncoder.encode(FormEncoder.flatten(params))).isEqualTo(
        "metadata=&tax_id_data=&unit_amount_decimal=12.5&big=12345678901234&nickname="
            + "&expand[0]=customer&expand[1]=invoice");
    assertThatThrownBy(() -> FormEncoder.flatten(Map.of("when", new Object())))
        .hasMessageContaining("'when'");
  }
}
