package dev.sluice.xdm.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.mapping.MappingError;
import dev.sluice.xdm.mapping.MappingResult;
import dev.sluice.xdm.mapping.MappingRule;
import dev.sluice.xdm.mapping.MappingSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SchemaDraftTest {
  private static String read(String name) {
    try (InputStream in = SchemaDraftTest.class.getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final SchemaDraft DRAFT =
      SchemaDraft.fromExploreSchema(read("golden/schema/aep-explore-charges-schema.json"), "acme", "charges_data");

  @Test
  void theExploreFixtureGivesTheCommittedGoldenTarget() {
    // The golden files were generated once and reviewed by hand; a change here is a change of
    // behaviour that must be reviewed again.
    assertThat(DRAFT.schema()).isEqualTo(XdmSchema.fromJson(read("golden/schema/charges-generated.schema.json")));
    assertThat(DRAFT.mappingSet())
        .isEqualTo(MappingSet.fromJson(read("golden/schema/charges-generated.mapping-set.json")));
  }

  @Test
  void generatedTypesFollowTheExploreSchema() {
    XdmSchema s = DRAFT.schema();
    assertThat(s.tenantId()).isEqualTo("acme");
    assertThat(s.field("_acme.charges_data.amount").type()).isEqualTo(XdmType.LONG);
    assertThat(s.field("_acme.charges_data.livemode").type()).isEqualTo(XdmType.BOOLEAN);
    assertThat(s.field("_acme.charges_data.metadata").type()).isEqualTo(XdmType.MAP);
    // "balance_transaction": {} has no observed type: a string
    assertThat(s.field("_acme.charges_data.balance_transaction").type()).isEqualTo(XdmType.STRING);
    assertThat(s.field("_acme.charges_data.payment_method_details.card.overcapture.maximum_amount_capturable").type())
        .isEqualTo(XdmType.LONG);
    assertThat(s.primaryIdentityPath()).isEqualTo("_acme.charges_data.id");
    assertThat(DRAFT.mappingSet().mappings())
        .contains(MappingRule.attribute("data.id", "_{TENANT_ID}.charges_data.id").withIdentity(true))
        .contains(MappingRule.attribute("data.outcome.risk_score", "_{TENANT_ID}.charges_data.outcome.risk_score"))
        .contains(MappingRule.attribute("data.metadata", "_{TENANT_ID}.charges_data.metadata"));
    assertThat(XdmSchema.fromJson(s.toJson())).isEqualTo(s);
  }

  @Test
  void theFixtureChargeMapsOntoTheGeneratedTarget() {
    DataRecord charge = DataRecord.fromJson(read("golden/charges/fixtures3-charge.json"));
    MappingResult result = DRAFT.mappingSet().compile("acme", DRAFT.schema()).apply(charge);

    assertThat(result.isRejected()).isFalse();
    // Six fields are {} in the explore sample (so strings) but objects in this charge: each is
    // nulled with a warning, as Data Prep does with a conversion error.
    assertThat(result.errors().stream().map(e -> e.code() + " " + e.destinationPath()).collect(Collectors.toList()))
        .containsExactlyInAnyOrder(
            "CONVERSION_FAILED _acme.charges_data.source",
            "CONVERSION_FAILED _acme.charges_data.transfer_data",
            "CONVERSION_FAILED _acme.charges_data.shipping",
            "CONVERSION_FAILED _acme.charges_data.payment_method_details.card.wallet",
            "CONVERSION_FAILED _acme.charges_data.payment_method_details.card.installments",
            "CONVERSION_FAILED _acme.charges_data.payment_method_details.card.three_d_secure");
    assertThat(result.errors()).noneMatch(MappingError::rejectsRecord);
    DataRecord out = result.record().getRecord("_acme").getRecord("charges_data");
    assertThat(out.get("amount")).isEqualTo(100L);
    assertThat(out.get("created")).isEqualTo(1234567890L);
    assertThat(out.getRecord("billing_details").getString("name")).isEqualTo("Jenny Rosen");
    assertThat(out.has("source")).isTrue();
    assertThat(out.get("source")).isNull();
    assertThat(out.has("refunds")).isFalse(); // not in the explore sample, so not mapped
  }

  @Test
  void samplesAreMergedIntoOneSchema() {
    SchemaDraft draft =
        SchemaDraft.fromSamples(
            List.of(
                DataRecord.fromJson("{\"id\":\"a\",\"n\":1,\"tags\":[\"x\"],\"m\":{}}"),
                DataRecord.fromJson("{\"id\":\"b\",\"n\":2.5,\"flag\":true,\"note\":null}")),
            "acme",
            "things");
    XdmSchema s = draft.schema();
    assertThat(s.field("_acme.things.id").type()).isEqualTo(XdmType.STRING);
    assertThat(s.field("_acme.things.n").type()).isEqualTo(XdmType.NUMBER);
    assertThat(s.field("_acme.things.tags").type()).isEqualTo(XdmType.ARRAY);
    assertThat(s.field("_acme.things.tags").items().type()).isEqualTo(XdmType.STRING);
    assertThat(s.field("_acme.things.m").type()).isEqualTo(XdmType.MAP);
    assertThat(s.field("_acme.things.flag").type()).isEqualTo(XdmType.BOOLEAN);
    assertThat(s.field("_acme.things.note").type()).isEqualTo(XdmType.STRING);
    assertThat(draft.mappingSet().mappings()).hasSize(6);
    MappingResult r =
        draft.mappingSet().compile("acme", s).apply(DataRecord.fromJson("{\"id\":\"c\",\"n\":7,\"tags\":[\"y\"]}"));
    assertThat(r.errors()).isEmpty();
    assertThat(r.record().toJson()).isEqualTo("{\"_acme\":{\"things\":{\"id\":\"c\",\"n\":7,\"tags\":[\"y\"]}}}");
  }

  @Test
  void schemaBuildRefusesContradictions() {
    assertThatThrownBy(() -> XdmField.builder("n", XdmType.LONG).pattern("x").build())
        .hasMessageContaining("pattern, lengths and enum apply to strings only");
    assertThatThrownBy(() -> XdmField.builder("a", XdmType.ARRAY).build()).hasMessageContaining("needs an item type");
    assertThatThrownBy(() -> XdmField.builder("n", XdmType.NUMBER).minimum(5).maximum(1).build())
        .hasMessageContaining("minimum 5 is above maximum 1");
    XdmField one = XdmField.builder("a", XdmType.STRING).identity("Email", true).build();
    XdmField two = XdmField.builder("b", XdmType.STRING).identity("Phone", true).build();
    assertThatThrownBy(() -> XdmSchema.builder().field(one).field(two).build())
        .hasMessageContaining("at most one primary identity");
  }
}
