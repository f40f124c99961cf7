package dev.sluice.stripe.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.stripe.ops.internal.Entities;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.testkit.StripeEmulatorExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How entity names resolve, which operations each allows, and what a streamed listing requests. */
class EntityNamesAndListingTest {
  @RegisterExtension
  static final StripeEmulatorExtension STRIPE =
      new StripeEmulatorExtension(StripeEmulator.builder().seed(17).objectsPerResource(250));

  @Test
  void everyResourceAnswersToItsConnectorNameItsNameAndItsObjectType() {
    for (StripeResource r : StripeCatalog.all()) {
      String connector = Entities.connectorName(r);
      assertThat(Entities.resolve(connector)).as(connector).isEqualTo(r);
      assertThat(Entities.resolve(r.name())).as(r.name()).isEqualTo(r);
      assertThat(Entities.resolve(r.objectType())).as(r.objectType()).isEqualTo(r);
    }
    assertThat(Entities.resolve("PAYMENT INTENTS").name()).isEqualTo("payment_intents");
    assertThat(Entities.resolve("checkout-session").name()).isEqualTo("checkout/sessions");
    assertThat(Entities.names()).contains("Customer", "PaymentIntent", "InvoiceItem", "CheckoutSession");
    assertThatThrownBy(() -> Entities.resolve("Widgets"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unknown entity 'Widgets'");
    assertThatThrownBy(() -> Entities.resolve(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void whatStripeCreatesItAlsoUpdatesAndChargesAndDisputesAreOnlyUpdated() {
    for (StripeResource r : StripeCatalog.all()) {
      if (Entities.creatable(r)) {
        assertThat(Entities.updatable(r)).as(r.name()).isTrue();
      }
    }
    for (String name : List.of("charges", "disputes")) {
      StripeResource r = StripeCatalog.require(name);
      assertThat(Entities.creatable(r)).as(name).isFalse();
      assertThat(Entities.updatable(r)).as(name).isTrue();
    }
    assertThat(Entities.updatable(StripeCatalog.require("events"))).isFalse();
  }

  @Test
  void aFilteredStreamAsksForEachStripePageOnce() {
    StripeOperations ops = StripeConnection.builder().apiKey("sk_test_names").apiBase(STRIPE.baseUrl())
        .initialBackoff(Duration.ofMillis(1)).throttle(Throttle.none()).build().operations();
    int before = STRIPE.emulator().requests().size();
    // Description is no Search field of charges, so the clause runs by filtering pages of 100.
    long matched = ops.list("Charge", "Description IS NULL OR Description IS NOT NULL").count();
    assertThat(matched).isEqualTo(250);
    assertThat(STRIPE.emulator().requests().subList(before, STRIPE.emulator().requests().size()))
        .allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/charges"))
        .hasSize(3);
  }
}
