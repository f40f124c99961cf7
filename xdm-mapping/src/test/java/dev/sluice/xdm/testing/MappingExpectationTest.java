package dev.sluice.xdm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.xdm.mapping.Mapping;
import dev.sluice.xdm.mapping.MappingSet;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MappingExpectationTest {
  private static final Mapping MAPPING =
      MappingSet.builder()
          .map("data.id", "_{TENANT_ID}.charges.id")
          .expression("from_minor_units(data.amount, data.currency)", "_{TENANT_ID}.charges.amount")
          .map("data.customer", "_{TENANT_ID}.charges.customer")
          .map("data.invoice", "_{TENANT_ID}.charges.invoice")
          .expression("upper(data.metadata)", "_{TENANT_ID}.charges.meta")
          .build()
          .compile("acme");

  private static final String CHARGE =
      "{\"id\":\"ch_1\",\"amount\":1099,\"currency\":\"usd\",\"customer\":null,\"metadata\":\"m\"}";

  @Test
  void passesWhenEveryExpectationHolds() {
    MappingExpectation.of(MAPPING)
        .given(CHARGE)
        .expect("_acme.charges.id", "ch_1")
        .expect("_acme.charges.amount", new BigDecimal("10.990"))
        .expectNull("_acme.charges.customer")
        .expectAbsent("_acme.charges.invoice")
        .expect("_acme.charges.meta", "M")
        .verify();
  }

  @Test
  void failsListingEveryMismatchAndWarning() {
    assertThatThrownBy(
            () ->
                MappingExpectation.of(MAPPING)
                    .given("{\"id\":\"ch_2\",\"amount\":5,\"currency\":\"jpy\",\"metadata\":{}}")
                    .expect("_acme.charges.id", "ch_1")
                    .expect("_acme.charges.amount", 5)
                    .expectNull("_acme.charges.customer")
                    .verify())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("unexpected warning: EXPRESSION_FAILED at _acme.charges.meta")
        .hasMessageContaining("_acme.charges.id: expected \"ch_1\" but was \"ch_2\"")
        .hasMessageContaining("_acme.charges.customer: expected null but it is absent")
        .hasMessageNotContaining("_acme.charges.amount")
        .hasMessageContaining("mapped record: {\"_acme\"");
  }

  @Test
  void absentAndNumberMismatchesAreNamed() {
    assertThatThrownBy(
            () ->
                MappingExpectation.of(MAPPING)
                    .given(CHARGE)
                    .expectAbsent("_acme.charges.id")
                    .expect("_acme.charges.amount", new BigDecimal("10.98"))
                    .expect("_acme.charges.invoice", 1)
                    .verify())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("_acme.charges.id: expected absent but was \"ch_1\"")
        .hasMessageContaining("_acme.charges.amount: expected 10.98 but was 10.99")
        .hasMessageContaining("_acme.charges.invoice: expected 1 but it is absent");
  }

  @Test
  void expectedWarningsAreNamed() {
    var result =
        MappingExpectation.of(MAPPING)
            .given("{\"id\":\"ch_3\",\"metadata\":[1]}")
            .expectError("EXPRESSION_FAILED", "_acme.charges.meta")
            .expectNull("_acme.charges.meta")
            .verify();
    assertThat(result.errors()).hasSize(1);
  }
}
