package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.xdm.DataRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Creates, updates, deletes, actions and the events they leave. */
class WritesTest {
  MutableClock clock = new MutableClock(Instant.parse("2025-06-15T12:00:00Z"));
  StripeEmulator emulator;
  StripeHttp http;

  @BeforeEach
  void start() {
    emulator = StripeEmulator.builder().seed(5).objectsPerResource(60).clock(clock).build().start();
    http = new StripeHttp(emulator.baseUrl());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void customerLifecycleChangesStateAndEmitsEvents() {
    StripeHttp.Answer created = http.post("/v1/customers",
        "name=" + enc("Zoë 山田") + "&email=zoe%40example.com&balance=-500"
            + "&metadata[" + enc("key with spaces") + "]=x&metadata[plan.tier]=gold"
            + "&metadata[" + enc("客户") + "]=" + enc("测试") + "&address[line1]=" + enc("1 Rue ☕")
            + "&preferred_locales[]=fr&preferred_locales[]=en");
    assertThat(created.status()).as("%s", created.body()).isEqualTo(200);
    DataRecord c = created.body();
    String id = c.getString("id");
    assertThat(id).startsWith("cus_");
    assertThat(c.getString("name")).isEqualTo("Zoë 山田");
    assertThat(c.getLong("balance")).isEqualTo(-500L);
    assertThat(c.getLong("created")).isEqualTo(clock.instant().getEpochSecond());
    assertThat(c.getRecord("metadata").asMap())
        .containsEntry("key with spaces", "x").containsEntry("plan.tier", "gold")
        .containsEntry("客户", "测试");
    assertThat(c.getPath("address.line1")).isEqualTo("1 Rue ☕");
    assertThat(c.hasPath("address.city")).isTrue();
    assertThat(c.getList("preferred_locales")).containsExactly("fr", "en");
    assertThat(http.get("/v1/customers/" + id).body()).isEqualTo(c);
    assertThat(((DataRecord) http.get("/v1/customers?limit=1").body().getList("data").get(0))
        .getString("id")).isEqualTo(id);

    clock.advance(Duration.ofSeconds(5));
    StripeHttp.Answer updated = http.post("/v1/customers/" + id,
        "name=John&metadata[plan.tier]=&description=");
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.body().getString("name")).isEqualTo("John");
    assertThat(updated.body().getRecord("metadata").has("plan.tier")).isFalse();
    assertThat(updated.body().getRecord("metadata").getString("key with spaces")).isEqualTo("x");
    assertThat(http.get("/v1/customers/" + id).body().getString("name")).isEqualTo("John");

    clock.advance(Duration.ofSeconds(5));
    StripeHttp.Answer deleted = http.delete("/v1/customers/" + id);
    assertThat(deleted.body().toJson())
        .isEqualTo("{\"id\":\"" + id + "\",\"object\":\"customer\",\"deleted\":true}");
    assertThat(http.get("/v1/customers/" + id).body().getBoolean("deleted")).isTrue();
    assertThat(StripeEmulatorTest.pageAll(http, "customers", 100, ""))
        .noneMatch(r -> r.getString("id").equals(id));
    assertThat(http.delete("/v1/customers/" + id).status()).isEqualTo(404);

    List<Object> events = http.get("/v1/events?type=customer.*&limit=3").body().getList("data");
    assertThat(events).extracting(e -> ((DataRecord) e).getString("type"))
        .containsExactly("customer.deleted", "customer.updated", "customer.created");
    DataRecord updateEvent = (DataRecord) events.get(1);
    assertThat(updateEvent.getPath("data.object.name")).isEqualTo("John");
    DataRecord previous = updateEvent.getRecord("data").getRecord("previous_attributes");
    assertThat(previous.getString("name")).isEqualTo("Zoë 山田");
    assertThat(previous.getPath("metadata.plan.tier")).isNull();
    assertThat(previous.getRecord("metadata").getString("plan.tier")).isEqualTo("gold");
    assertThat(previous.keys()).containsExactlyInAnyOrder("name", "metadata");
    assertThat(updateEvent.getPath("request.id")).isEqualTo(updated.headers().get("Request-Id"));
    long t = clock.instant().getEpochSecond();
    assertThat(http.get("/v1/events?type=customer.*&created[gte]=" + (t - 5)).body().getList("data"))
        .hasSize(2);
  }

  @Test
  void badWritesAre400s() {
    StripeHttp.Answer unknown = http.post("/v1/customers", "colour=red");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.error().getString("code")).isEqualTo("parameter_unknown");
    assertThat(unknown.error().getString("param")).isEqualTo("colour");
    StripeHttp.Answer notNumber = http.post("/v1/customers", "balance=lots");
    assertThat(notNumber.error().getString("param")).isEqualTo("balance");
    assertThat(notNumber.error().getString("code")).isEqualTo("parameter_invalid_integer");
    StripeHttp.Answer nested = http.post("/v1/customers", "address[planet]=Mars");
    assertThat(nested.error().getString("param")).isEqualTo("address[planet]");
    StripeHttp.Answer noName = http.post("/v1/products", "description=x");
    assertThat(noName.error().getString("code")).isEqualTo("parameter_missing");
    assertThat(noName.error().getString("param")).isEqualTo("name");
    assertThat(http.post("/v1/customers/cus_nope", "name=x").status()).isEqualTo(404);
    assertThat(http.post("/v1/balance_transactions", "amount=1").status()).isEqualTo(400);
  }

  @Test
  void productsAndPrices() {
    DataRecord product = http.post("/v1/products", "name=T-shirt&metadata[size]=XL").body();
    assertThat(product.getString("id")).startsWith("prod_");
    assertThat(product.getBoolean("active")).isTrue();
    StripeHttp.Answer price = http.post("/v1/prices", "currency=jpy&unit_amount=1500&product="
        + product.getString("id") + "&recurring[interval]=month");
    assertThat(price.status()).as("%s", price.body()).isEqualTo(200);
    assertThat(price.body().getLong("unit_amount")).isEqualTo(1500L);
    assertThat(price.body().getString("unit_amount_decimal")).isEqualTo("1500");
    assertThat(price.body().getString("type")).isEqualTo("recurring");
    assertThat(price.body().getPath("recurring.interval")).isEqualTo("month");
    StripeHttp.Answer inline = http.post("/v1/prices",
        "currency=bhd&unit_amount=1250&product_data[name]=Mug");
    String productId = inline.body().getString("product");
    assertThat(http.get("/v1/products/" + productId).body().getString("name")).isEqualTo("Mug");
    assertThat(http.post("/v1/prices", "currency=usd&product=prod_missing").status()).isEqualTo(400);
    assertThat(http.post("/v1/products/" + product.getString("id"), "active=false").body()
        .getBoolean("active")).isFalse();
    assertThat(http.post("/v1/products/" + product.getString("id"), "active=maybe").status())
        .isEqualTo(400);
    assertThat(http.delete("/v1/products/" + product.getString("id")).body().getBoolean("deleted"))
        .isTrue();
    assertThat(http.get("/v1/products/" + product.getString("id")).status()).isEqualTo(404);
  }

  @Test
  void paymentIntentTransitions() {
    DataRecord pi = http.post("/v1/payment_intents",
        "amount=1500&currency=usd&payment_method=pm_card_visa").body();
    assertThat(pi.getString("status")).isEqualTo("requires_confirmation");
    assertThat(pi.getLong("amount")).isEqualTo(1500L);
    String id = pi.getString("id");
    DataRecord confirmed = http.post("/v1/payment_intents/" + id + "/confirm",
        "return_url=" + enc("https://shop.example/done")).body();
    assertThat(confirmed.getString("status")).isEqualTo("succeeded");
    assertThat(confirmed.getLong("amount_received")).isEqualTo(1500L);
    DataRecord charge = http.get("/v1/charges/" + confirmed.getString("latest_charge")).body();
    assertThat(charge.getString("payment_intent")).isEqualTo(id);
    assertThat(charge.getLong("amount")).isEqualTo(1500L);

    StripeHttp.Answer capture = http.post("/v1/payment_intents/" + id + "/capture", "");
    assertThat(capture.status()).isEqualTo(400);
    assertThat(capture.error().getString("code")).isEqualTo("payment_intent_unexpected_state");
    assertThat(http.post("/v1/payment_intents/" + id + "/cancel", "").error().getString("code"))
        .isEqualTo("payment_intent_unexpected_state");

    DataRecord manual = http.post("/v1/payment_intents", "amount=900&currency=eur"
        + "&payment_method=pm_card_visa&capture_method=manual&confirm=true").body();
    assertThat(manual.getString("status")).isEqualTo("requires_capture");
    assertThat(manual.getLong("amount_capturable")).isEqualTo(900L);
    DataRecord captured = http.post("/v1/payment_intents/" + manual.getString("id") + "/capture",
        "amount_to_capture=700").body();
    assertThat(captured.getString("status")).isEqualTo("succeeded");
    assertThat(captured.getLong("amount_received")).isEqualTo(700L);

    DataRecord fresh = http.post("/v1/payment_intents", "amount=100&currency=usd").body();
    assertThat(fresh.getString("status")).isEqualTo("requires_payment_method");
    StripeHttp.Answer noMethod = http.post("/v1/payment_intents/" + fresh.getString("id") + "/confirm", "");
    assertThat(noMethod.status()).isEqualTo(400);
    DataRecord canceled = http.post("/v1/payment_intents/" + fresh.getString("id") + "/cancel",
        "cancellation_reason=abandoned").body();
    assertThat(canceled.getString("status")).isEqualTo("canceled");
    assertThat(canceled.getString("cancellation_reason")).isEqualTo("abandoned");

    long now = clock.instant().getEpochSecond();
    assertThat(http.get("/v1/events?types[]=payment_intent.succeeded&types[]=payment_intent.canceled"
        + "&created[gte]=" + now).body().getList("data")).hasSize(3);
    assertThat(http.post("/v1/payment_intents/" + id + "/explode", "").status()).isEqualTo(404);
  }

  @Test
  void quotesAndInvoices() {
    DataRecord quote = (DataRecord) http.get("/v1/quotes?status=draft&limit=1").body()
        .getList("data").get(0);
    String id = quote.getString("id");
    assertThat(http.post("/v1/quotes/" + id + "/accept", "").status()).isEqualTo(400);
    assertThat(http.post("/v1/quotes/" + id + "/finalize", "").body().getString("status"))
        .isEqualTo("open");
    DataRecord accepted = http.post("/v1/quotes/" + id + "/accept", "").body();
    assertThat(accepted.getString("status")).isEqualTo("accepted");
    String invoiceId = accepted.getString("invoice");
    DataRecord invoice = http.get("/v1/invoices/" + invoiceId).body();
    assertThat(invoice.getString("status")).isEqualTo("draft");
    assertThat(invoice.getString("customer")).isEqualTo(quote.getString("customer"));
    assertThat(http.post("/v1/quotes/" + id + "/cancel", "").status()).isEqualTo(400);

    DataRecord finalized = http.post("/v1/invoices/" + invoiceId + "/finalize", "").body();
    assertThat(finalized.getString("status")).isEqualTo("open");
    assertThat(finalized.getString("number")).isNotNull();
    assertThat(http.post("/v1/invoices/" + invoiceId + "/finalize", "").status()).isEqualTo(400);
    assertThat(http.get("/v1/events?type=quote.*&created[gte]=" + clock.instant().getEpochSecond())
        .body().getList("data")).hasSize(2);
  }

  @Test
  void paymentMethodsAttachAndDetach() {
    DataRecord customer = http.post("/v1/customers", "name=Pat").body();
    DataRecord pm = StripeEmulatorTest.pageAll(http, "payment_methods", 100, "").stream()
        .filter(p -> p.get("customer") == null).findFirst().orElseThrow();
    String path = "/v1/payment_methods/" + pm.getString("id");
    assertThat(http.post(path + "/attach", "customer=" + customer.getString("id")).body()
        .getString("customer")).isEqualTo(customer.getString("id"));
    assertThat(http.post(path + "/detach", "").body().get("customer")).isNull();
    assertThat(http.post(path + "/detach", "").status()).isEqualTo(400);
  }

  @Test
  void generatedObjectsCanBeUpdated() {
    DataRecord charge = (DataRecord) http.get("/v1/charges?limit=1").body().getList("data").get(0);
    String id = charge.getString("id");
    DataRecord updated = http.post("/v1/charges/" + id, "metadata[order]=42&description=" + enc("Ünïcode")).body();
    assertThat(updated.getPath("metadata.order")).isEqualTo("42");
    assertThat(http.get("/v1/charges/" + id).body()).isEqualTo(updated);
    assertThat(((DataRecord) http.get("/v1/charges?limit=1").body().getList("data").get(0)))
        .isEqualTo(updated);
  }
}
