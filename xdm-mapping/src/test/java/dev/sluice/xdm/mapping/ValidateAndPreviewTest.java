package dev.sluice.xdm.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.schema.XdmField;
import dev.sluice.xdm.schema.XdmSchema;
import dev.sluice.xdm.schema.XdmType;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ValidateAndPreviewTest {
  private static final XdmSchema SCHEMA =
      XdmSchema.builder()
          .tenantId("acme")
          .field(
              XdmField.builder("_acme", XdmType.OBJECT)
                  .field(
                      XdmField.builder("c", XdmType.OBJECT)
                          .field(XdmField.builder("id", XdmType.STRING).required(true).build())
                          .field(XdmField.builder("amount", XdmType.LONG).minimum(0).build())
                          .build())
                  .build())
          .build();

  @Test
  void validateGivesOneVerdictPerRule() {
    MappingSet set =
        MappingSet.builder()
            .map("data.id", "_{TENANT_ID}.c.id")
            .expression("upper(data.id, 2)", "_{TENANT_ID}.c.amount")
            .map("data.x", "_{TENANT_ID}.c.nope")
            .build();

    List<RuleValidation> verdicts = set.validate("acme", SCHEMA);

    assertThat(verdicts).hasSize(3);
    assertThat(verdicts.get(0).isValid()).isTrue();
    assertThat(verdicts.get(1).problems()).singleElement().asString().contains("upper() takes 1 argument but was given 2");
    assertThat(verdicts.get(2).problems()).singleElement().asString().contains("is not in the target schema");
    assertThat(set.validate("acme").get(2).isValid()).isTrue(); // without a schema any destination goes
  }

  @Test
  void previewMapsEachSampleWithItsErrors() {
    MappingSet set =
        MappingSet.builder().map("data.id", "_{TENANT_ID}.c.id").map("data.amount", "_{TENANT_ID}.c.amount").build();

    List<MappingResult> results =
        set.preview(
            "acme",
            SCHEMA,
            List.of(
                DataRecord.fromJson("{\"id\":\"ch_1\",\"amount\":\"1099\"}"),
                DataRecord.fromJson("{\"amount\":5}"),
                DataRecord.fromJson("{\"id\":\"ch_3\",\"amount\":-1}")));

    assertThat(results.get(0).record().toJson()).isEqualTo("{\"_acme\":{\"c\":{\"id\":\"ch_1\",\"amount\":1099}}}");
    assertThat(results.get(1).isRejected()).isTrue();
    assertThat(results.get(1).errors()).extracting(MappingError::code).containsExactly("REQUIRED_FIELD_MISSING");
    assertThat(results.get(2).isRejected()).isTrue();
    assertThat(results.get(2).errors()).singleElement().satisfies(e -> {
      assertThat(e.code()).isEqualTo("INVALID_VALUE");
      assertThat(e.recordId()).isEqualTo("ch_3");
      assertThat(e.rejectsRecord()).isTrue();
    });
  }

  @Test
  void aCompiledMappingIsSharedSafelyBetweenThreads() {
    Mapping mapping =
        MappingSet.builder()
            .map("data.id", "_{TENANT_ID}.c.id")
            .expression("from_minor_units(data.amount, \"usd\")", "_{TENANT_ID}.c.usd")
            .build()
            .compile("acme");
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    IntStream.range(0, 2000).parallel().forEach(i -> {
      MappingResult r = mapping.apply(DataRecord.fromJson("{\"id\":\"ch_" + i + "\",\"amount\":" + i + "}"));
      String expected = "{\"_acme\":{\"c\":{\"id\":\"ch_" + i + "\",\"usd\":"
          + new java.math.BigDecimal(i).movePointLeft(2).toPlainString() + "}}}";
      if (!r.record().toJson().equals(expected)) {
        wrong.add(r.record().toJson());
      }
    });
    assertThat(wrong.stream().limit(3).collect(Collectors.toList())).isEmpty();
  }

  @Test
  void badDataNeverThrowsOutOfApply() {
    Mapping mapping =
        MappingSet.builder()
            .expression("data.a / data.b", "x.div")
            .expression("to_integer(data.a)", "x.int")
            .map("data.list", "x.items[*].v")
            .build()
            .compile(null);
    MappingResult r = mapping.apply(DataRecord.fromJson("{\"a\":{\"deep\":1},\"b\":0,\"list\":\"nope\"}"));
    assertThat(r.isRejected()).isFalse();
    assertThat(r.errors()).extracting(MappingError::code)
        .containsExactly("EXPRESSION_FAILED", "EXPRESSION_FAILED", "NOT_AN_ARRAY");
    assertThat(r.errors()).noneMatch(MappingError::rejectsRecord);
    assertThat(r.record().toJson()).isEqualTo("{\"x\":{\"div\":null,\"int\":null}}");
  }
}
