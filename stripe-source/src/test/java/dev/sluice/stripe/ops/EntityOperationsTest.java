package dev.sluice.stripe.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.stripe.StripeIdempotencyException;
import dev.sluice.stripe.StripeInvalidRequestException;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.testkit.StripeEmulatorExtension;
import dev.sluice.xdm.DataRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every entity operation against the emulator: what a caller sends, what Stripe receives. */
class EntityOperationsTest {
  @RegisterExtension
  static final StripeEmulatorExtension STRIPE =
      new StripeEmulatorExtension(StripeEmulator.builder().seed(11).objectsPerResource(40));

  StripeOperations ops;

  @BeforeEach
  void connect() {
    ops = StripeConnection.builder().apiKey("sk_test_ops").apiBase(STRIPE.baseUrl())
        .initialBackoff(Duration.ofMillis(1)).throttle(Throttle.none()).build().operations();
  }

  private String any(String entity) {
    return ops.list(entity).findFirst().orElseThrow().getString("id");
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void everyEntityCanBeCreatedReadUpdatedListedAndWhereStripeAllowsDeleted() {
    String customer = ops.create("Customer", map("Name", "Ada", "Email", "ada@example.com")).getString("id");
    String product = ops.create("Product", map("Name", "Widget")).getString("id");
    String charge = any("Charge");
    Map<String, Map<String, Object>> inputs = new LinkedHashMap<>();
    inputs.put("Customer", map("Name", "Bo", "Email", "bo@example.com"));
    inputs.put("PaymentIntent", map("PaymentMethod", "pm_card_visa", "Currency", "usd", "Amount", 1500.0));
    inputs.put("PaymentMethod", map("Type", "card"));
    inputs.put("Product", map("Name", "Gadget", "Metadata", map("Tier.Level", "gold")));
    inputs.put("Price", map("Currency", "usd", "UnitAmount", new BigDecimal("1200.00"), "Product", product));
    inputs.put("Subscription", map("Customer", customer, "Metadata", map("plan", "basic")));
    inputs.put("Invoice", map("Customer", customer, "Description", "March"));
    inputs.put("InvoiceItem", map("Customer", customer, "Amount", "250", "Currency", "usd"));
    inputs.put("Refund", map("Charge", charge, "Amount", 100L));
    inputs.put("Quote", map("Customer", customer, "Description", "Offer"));
    inputs.put("Coupon", map("Name", "Spring", "Duration", "once"));
    inputs.put("SetupIntent", map("Customer", customer, "Description", "Card on file"));
    inputs.put("Plan", map("Currency", "usd", "Amount", 900, "Product", product));

    for (Map.Entry<String, Map<String, Object>> e : inputs.entrySet()) {
      String entity = e.getKey();
      DataRecord created = ops.create(entity, e.getValue());
      String id = created.getString("id");
      assertThat(id).as(entity).isNotBlank();
      assertThat(ops.get(entity, id)).as(entity).isEqualTo(created);
      assertThat(ops.list(entity).limit(5).map(r -> r.getString("id")).toList()).as(entity).contains(id);

      DataRecord updated = ops.update(entity, id, map("Metadata", map("checked", "yes")));
      assertThat(updated.getPath("metadata.checked")).as(entity).isEqualTo("yes");
      assertThat(ops.get(entity, id).getPath("metadata.checked")).as(entity).isEqualTo("yes");

      if (List.of("Customer", "Product", "Invoice", "InvoiceItem", "Coupon", "Plan").contains(entity)) {
        DataRecord deleted = ops.delete(entity, id);
        assertThat(deleted.getBoolean("deleted")).as(entity).isTrue();
        assertThat(ops.list(entity).limit(5).map(r -> r.getString("id")).toList()).as(entity)
            .doesNotContain(id);
      }
    }
    DataRecord pi = ops.list("payment_intents").findFirst().orElseThrow();
    assertThat(pi.getLong("amount")).isEqualTo(1500L);
    assertThat(pi.getString("payment_method")).isEqualTo("pm_card_visa");
    assertThat(ops.update("Charge", charge, map("Description", "Looked at")).getString("description"))
        .isEqualTo("Looked at");
  }

  @Test
  void theConnectorsInputsBecomeStripesFormParameters() {
    DataRecord pi = ops.create("PaymentIntent",
        map("PaymentMethod", "pm_1OXN5YANHgX3SHp7Q5Y0rb39", "Currency", "usd", "Amount", 1500.0));
    RecordedRequest sent = STRIPE.emulator().requests().get(STRIPE.emulator().requests().size() - 1);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/payment_intents");
    assertThat(sent.body()).isEqualTo("payment_method=pm_1OXN5YANHgX3SHp7Q5Y0rb39&currency=usd&amount=1500");
    assertThat(sent.header("Idempotency-Key")).isNotBlank();
    assertThat(Map.of("Id", pi.getString("id"))).containsKey("Id");
    assertThat(pi.getString("id")).startsWith("pi_");

    String customer = any("Customer");
    DataRecord john = ops.update("Customer", customer, Map.of("Name", "John"));
    assertThat(john.getString("name")).isEqualTo("John");
    assertThat(john.getString("id")).isEqualTo(customer);
  }

  @Test
  void badInputsAreRefusedBeforeAnyRequest() {
    int before = STRIPE.emulator().requests().size();
    assertThatThrownBy(() -> ops.create("PaymentIntent", map("Currency", "usd", "Amount", 1500.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amount must be a whole number").hasMessageContaining("1500.5");
    assertThatThrownBy(() -> ops.create("PaymentIntent", map("Currency", "usd", "Amount", "15.99")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("15.99");
    assertThatThrownBy(() -> ops.create("Customer", map("Name", "x", "FavouriteColour", "red", "Shoe", 42)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'FavouriteColour' (favourite_colour)").hasMessageContaining("'Shoe' (shoe)");
    assertThatThrownBy(() -> ops.create("Customer", map("Name", "x", "name", "y")))
        .hasMessageContaining("sets name twice");
    assertThatThrownBy(() -> ops.delete("Charge", "ch_1"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("does not delete Charge").hasMessageContaining("list, get, update");
    assertThatThrownBy(() -> ops.create("Charge", map("Amount", 100)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ops.update("Event", "evt_1", map("Type", "x")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ops.delete("PaymentIntent", "pi_1"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ops.get("Widget", "w_1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unknown entity 'Widget'")
        .hasMessageContaining("PaymentIntent");
    assertThat(STRIPE.emulator().requests()).hasSize(before);
  }

  @Test
  void stripeRefusalsArriveAsTypedExceptionsWithTheRequestId() {
    assertThatThrownBy(() -> ops.get("Customer", "cus_nope"))
        .isInstanceOfSatisfying(StripeInvalidRequestException.class, e -> {
          assertThat(e.stripeCode()).isEqualTo("resource_missing");
          assertThat(e.param()).isEqualTo("id");
          assertThat(e.requestId()).startsWith("req_");
        });
    assertThatThrownBy(() -> ops.create("Price", map("Currency", "usd", "Product", "prod_missing")))
        .isInstanceOfSatisfying(StripeInvalidRequestException.class,
            e -> assertThat(e.param()).isEqualTo("product"));
  }

  @Test
  void idempotencyKeysReplayAndRefuseOtherParameters() {
    StripeOperations once = ops.withIdempotencyKey("order-42");
    DataRecord first = once.create("Customer", map("Name", "Once"));
    DataRecord again = once.create("Customer", map("Name", "Once"));
    assertThat(again.getString("id")).isEqualTo(first.getString("id"));
    assertThatThrownBy(() -> once.create("Customer", map("Name", "Twice")))
        .isInstanceOfSatisfying(StripeIdempotencyException.class,
            e -> assertThat(e.requestId()).isNotBlank());
    assertThatThrownBy(() -> ops.withIdempotencyKey(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aListIsLazyAndPagesWithTokens() {
    int before = STRIPE.emulator().requests().size();
    List<String> three = ops.list("Charge").limit(3).map(r -> r.getString("id")).toList();
    assertThat(three).hasSize(3);
    assertThat(STRIPE.emulator().requests().size() - before).isEqualTo(1);

    ListRequest request = ListRequest.builder("charges").pageSize(7).build();
    EntityPage page = ops.page(request);
    List<String> paged = new java.util.ArrayList<>(page.records().stream().map(r -> r.getString("id")).toList());
    while (page.hasNext()) {
      assertThat(page.records()).hasSize(7);
      page = ops.page(request.toBuilder().pageToken(page.nextPageToken()).build());
      page.records().forEach(r -> paged.add(r.getString("id")));
    }
    assertThat(paged).isEqualTo(ops.list("Charge").map(r -> r.getString("id")).toList());
    assertThat(paged).doesNotHaveDuplicates();
    EntityPage first = ops.page(request);
    assertThatThrownBy(() -> ops.page(ListRequest.builder("customers")
        .pageToken(first.nextPageToken()).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another entity");
  }

  @Test
  void theConnectionsThrottleSpacesOperations() {
    StripeOperations slow = StripeConnection.builder().apiKey("sk_test_ops").apiBase(STRIPE.baseUrl())
        .throttle(Throttle.perSecond(6)).build().operations();
    String id = any("Customer");
    long start = System.nanoTime();
    for (int i = 0; i < 7; i++) {
      slow.get("Customer", id);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }
}
