package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stripe.catalog.StripeFixtures;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.mapping.Mapping;
import dev.sluice.xdm.mapping.MappingResult;
import dev.sluice.xdm.mapping.MappingSet;
import dev.sluice.xdm.testing.MappingExpectation;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * How a user unit-tests a custom mapping: given a Stripe object, expect these destination values
 * and no errors. Nothing but xdm-mapping (and, for the fixture, stripe-catalog) is needed.
 */
class CustomMappingTest {
  /** A team's own mapping of charges onto their payments schema. */
  static final Mapping PAYMENTS = MappingSet.builder()
      .map("data.id", "_{TENANT_ID}.payments.id")
      .expression("from_minor_units(data.amount, data.currency)", "_{TENANT_ID}.payments.amount")
      .expression("upper(data.currency)", "_{TENANT_ID}.payments.currency")
      .expression("from_unix_seconds(data.created)", "_{TENANT_ID}.payments.created_at")
      .map("data.customer", "_{TENANT_ID}.payments.customer")
      .map("data.invoice", "_{TENANT_ID}.payments.invoice")
      .build()
      .compile("acme");

  @Test
  void amountsBecomeExactDecimalsInTheCurrencysOwnUnits() {
    MappingExpectation.of(PAYMENTS)
        .given("{\"id\":\"ch_1\",\"amount\":1099,\"currency\":\"usd\",\"created\":1679090539,\"customer\":null}")
        .expect("_acme.payments.id", "ch_1")
        .expect("_acme.payments.amount", new BigDecimal("10.99"))
        .expect("_acme.payments.currency", "USD")
        .expect("_acme.payments.created_at", "2023-03-17T22:02:19Z")
        .expectNull("_acme.payments.customer")
        .expectAbsent("_acme.payments.invoice")
        .verify();

    MappingExpectation.of(PAYMENTS)
        .given("{\"id\":\"ch_2\",\"amount\":1099,\"currency\":\"jpy\",\"created\":0}")
        .expect("_acme.payments.amount", new BigDecimal("1099"))
        .verify();
    MappingExpectation.of(PAYMENTS)
        .given("{\"id\":\"ch_3\",\"amount\":1099,\"currency\":\"bhd\",\"created\":0}")
        .expect("_acme.payments.amount", new BigDecimal("1.099"))
        .verify();
  }

  @Test
  void stripesOwnExampleChargeMapsWithoutErrors() {
    DataRecord charge = StripeFixtures.get("charge");
    MappingResult result = MappingExpectation.of(PAYMENTS)
        .given(charge)
        .expect("_acme.payments.id", charge.getString("id"))
        .verify();
    assertThat(result.errors()).isEmpty();
  }

  @Test
  void aFailingExpressionIsAWarningNotAnException() {
    MappingResult result = PAYMENTS.apply(DataRecord.fromJson(
        "{\"id\":\"ch_4\",\"amount\":\"not a number\",\"currency\":\"usd\",\"created\":0}"));
    assertThat(result.isRejected()).isFalse();
    assertThat(result.record().getPath("_acme.payments.amount")).isNull();
    assertThat(result.errors()).singleElement().satisfies(e -> {
      assertThat(e.destinationPath()).isEqualTo("_acme.payments.amount");
      assertThat(e.recordId()).isEqualTo("ch_4");
    });
  }
}
