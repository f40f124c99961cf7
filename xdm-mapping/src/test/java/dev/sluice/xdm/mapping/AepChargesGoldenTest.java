package dev.sluice.xdm.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.xdm.DataRecord;
import org.junit.jupiter.api.Test;

/**
 * The seed's 36-line charges mapping set applied to two real charges. The expected records under
 * {@code golden/charges/} were written by hand from the inputs, field by field.
 *
 * <p>What the expected files show:
 *
 * <ul>
 *   <li><b>Absent because the source lacks them.</b> The seed's charge (seed 000) has no {@code
 *       payment_method_details.card.overcapture}, {@code network_token}, {@code
 *       incremental_authorization}, {@code multicapture}, {@code extended_authorization} or {@code
 *       amount_authorized}: the eight rules reading them write nothing, so those keys are missing
 *       from its expected record (not {@code null}). The fixture charge has all of them.
 *   <li><b>Null because the source is null.</b> {@code payment_intent}, {@code customer} (both
 *       charges), {@code calculated_statement_descriptor} and {@code card.amount_authorized} (the
 *       fixture charge), {@code outcome.reason} and friends: JSON {@code null} in, {@code null} out.
 *   <li><b>Whole object and deeper rules agree.</b> Rule 30 copies all of {@code
 *       payment_method_details} while 16 other rules write single fields below it. Both give the
 *       same values, so the result is exactly the source object, once, with no error; keys the
 *       deeper rules created come first, in rule order, then the rest in source order.
 *   <li><b>Whole object alone.</b> {@code outcome} is copied as it is, nulls included.
 *   <li>Fields of the charge the set does not map ({@code billing_details}, {@code metadata},
 *       {@code refunds}, {@code source}, ...) are not in the output.
 * </ul>
 */
class AepChargesGoldenTest {
  private static final Mapping MAPPING =
      MappingSet.fromJson(Resources.read("golden/charges/aep-charges-mapping-set.json")).compile("acme");

  @Test
  void seedChargeMapsToTheHandWrittenRecord() {
    DataRecord charge = DataRecord.fromJson(Resources.read("golden/charges/seed000-charge.json"));
    DataRecord expected = DataRecord.fromJson(Resources.read("golden/charges/seed000-expected.json"));

    MappingResult result = MAPPING.apply(charge);

    assertThat(result.errors()).isEmpty();
    assertThat(result.record()).isEqualTo(expected);
    DataRecord out = result.record().getRecord("_acme").getRecord("charges_data");
    // Objects are created in the order the rules are listed.
    assertThat(out.keys())
        .containsExactly(
            "id", "refunded", "disputed", "payment_method_details", "livemode", "status",
            "receipt_url", "payment_intent", "amount", "customer", "amount_captured",
            "payment_method", "object", "captured", "created", "paid", "amount_refunded",
            "currency", "calculated_statement_descriptor", "balance_transaction", "outcome");
    DataRecord card = out.getRecord("payment_method_details").getRecord("card");
    assertThat(card.keys())
        .containsExactly(
            "last4", "fingerprint", "funding", "country", "exp_year", "network", "brand",
            "checks", "exp_month", "installments", "mandate", "three_d_secure", "wallet");
    assertThat(card.has("overcapture")).isFalse();
    assertThat(out.has("payment_intent")).isTrue();
    assertThat(out.get("payment_intent")).isNull();
    // The whole-object copy and the deeper rules agree: the object is the source's.
    assertThat(out.getRecord("payment_method_details")).isEqualTo(charge.getRecord("payment_method_details"));
  }

  @Test
  void fixtureChargeMapsToTheHandWrittenRecord() {
    DataRecord charge = DataRecord.fromJson(Resources.read("golden/charges/fixtures3-charge.json"));
    DataRecord expected = DataRecord.fromJson(Resources.read("golden/charges/fixtures3-expected.json"));

    MappingResult result = MAPPING.apply(charge);

    assertThat(result.errors()).isEmpty();
    assertThat(result.record()).isEqualTo(expected);
    DataRecord out = result.record().getRecord("_acme").getRecord("charges_data");
    assertThat(out.getRecord("payment_method_details").getRecord("card").has("amount_authorized")).isTrue();
    assertThat(out.getRecord("payment_method_details").getRecord("card").get("amount_authorized")).isNull();
    assertThat(out.has("billing_details")).isFalse();
    // Exactly as the expected text, key order included.
    assertThat(result.record().toJson()).isEqualTo(expected.toJson());
  }

  @Test
  void theSetRoundTripsThroughJson() {
    MappingSet set = MappingSet.fromJson(Resources.read("golden/charges/aep-charges-mapping-set.json"));
    assertThat(set.mappings()).hasSize(36);
    assertThat(set.mappings().get(0))
        .isEqualTo(MappingRule.attribute("data.id", "_{ORG_ID}.charges_data.id"));
    assertThat(set.xdmVersion()).isEqualTo("1.0");
    assertThat(set.format()).isEqualTo(MappingSet.Format.SOURCE_ATTRIBUTE);
    assertThat(MappingSet.fromJson(set.toJson())).isEqualTo(set);
    assertThat(set.toJson()).contains("\"destinationXdmPath\":\"_{ORG_ID}.charges_data.id\"");
  }
}
