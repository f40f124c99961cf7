package dev.sluice.xdm.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.xdm.DataRecord;
import org.junit.jupiter.api.Test;

class MappingSetTest {

  @Test
  void tenantPlaceholdersAreBound() {
    Mapping mapping =
        MappingSet.builder()
            .map("data.id", "_{ORG_ID}.charges_data.id")
            .map("data.amount", "_{TENANT_ID}.charges_data.amount")
            .build()
            .compile("acme");
    DataRecord out = mapping.apply(DataRecord.fromJson("{\"id\":\"ch_1\",\"amount\":5}")).record();
    assertThat(out.toJson()).isEqualTo("{\"_acme\":{\"charges_data\":{\"id\":\"ch_1\",\"amount\":5}}}");
  }

  @Test
  void schemaIdIsReadFromAnApiAnswersOutputSchema() {
    String mappings = "\"mappings\":[{\"source\":\"data.id\",\"destination\":\"x.id\"}]";
    String ref = "\"outputSchema\":{\"schemaRef\":{\"id\":\"https://ns.adobe.com/acme/schemas/c\"}}";
    assertThat(MappingSet.fromJson("{" + ref + "," + mappings + "}").xdmSchema())
        .isEqualTo("https://ns.adobe.com/acme/schemas/c");
    assertThat(MappingSet.fromJson("{\"xdmSchema\":\"s\"," + ref + "," + mappings + "}").xdmSchema())
        .isEqualTo("s");
    assertThat(MappingSet.fromJson("{\"outputSchema\":{\"schemaRef\":7}," + mappings + "}").xdmSchema())
        .isNull();
  }

  @Test
  void absentStaysAbsentAndNullStaysNull() {
    Mapping mapping =
        MappingSet.builder().map("data.customer", "x.customer").map("data.invoice", "x.invoice").build().compile(null);
    MappingResult result = mapping.apply(DataRecord.fromJson("{\"customer\":null}"));
    assertThat(result.errors()).isEmpty();
    assertThat(result.record().toJson()).isEqualTo("{\"x\":{\"customer\":null}}");
  }

  @Test
  void badJsonShapeListsEveryProblem() {
    String json =
        "{\"version\":\"one\",\"mappings\":[{\"sourceAttribute\":\"data.id\"},"
            + "{\"destinationXdmPath\":\"x\",\"sourceAttribute\":7},3,"
            + "{\"source\":\"a\",\"destination\":\"b\",\"sourceType\":\"FORMULA\"}]}";
    MappingSpecException e = catchThrowableOfType(MappingSpecException.class, () -> MappingSet.fromJson(json));
    assertThat(e.problems())
        .containsExactly(
            "$.version: expected an integer but found a string",
            "$.mappings[0]: missing destinationXdmPath or destination",
            "$.mappings[1].sourceAttribute: expected a string but found an integer",
            "$.mappings[2]: expected an object but found an integer",
            "$.mappings[3].sourceType: expected ATTRIBUTE, STATIC or EXPRESSION but found 'FORMULA'");
    assertThatThrownBy(() -> MappingSet.fromJson("{\"mappings\": ["))
        .isInstanceOf(MappingSpecException.class)
        .hasMessageContaining("Malformed JSON");
    assertThatThrownBy(() -> MappingSet.fromJson("{}"))
        .isInstanceOf(MappingSpecException.class)
        .hasMessageContaining("$.mappings: missing");
  }

  @Test
  void compileRefusesABadSetListingEveryProblem() {
    MappingSet set =
        MappingSet.builder()
            .map("id", "x.id")
            .map("data.a[", "x.a")
            .map("data.b", "x..b")
            .map("data.c", "x.c")
            .map("data.d", "x.c")
            .map("data.e", "_{TENANT_ID}.e")
            .build();
    MappingSpecException e = catchThrowableOfType(MappingSpecException.class, () -> set.compile(null));
    assertThat(e.problems()).hasSize(5);
    assertThat(e.problems().get(0)).startsWith("mapping #1 (id -> x.id): bad source path").contains("must start with 'data.'");
    assertThat(e.problems().get(1)).startsWith("mapping #2").contains("never closed");
    assertThat(e.problems().get(2)).startsWith("mapping #3").contains("empty field name");
    assertThat(e.problems().get(3)).startsWith("mapping #5").contains("already written by mapping #4");
    assertThat(e.problems().get(4)).startsWith("mapping #6").contains("no tenant id");
    assertThatThrownBy(() -> set.compile("bad.tenant")).isInstanceOf(MappingSpecException.class)
        .hasMessageContaining("tenant id 'bad.tenant' is not valid");
  }

  @Test
  void oneDestinationSpelledTwoWaysIsStillWrittenTwice() {
    MappingSet set =
        MappingSet.builder().map("data.a", "x.y").map("data.b", "${x}.y").map("data.c", "x.\\y").build();
    MappingSpecException e = catchThrowableOfType(MappingSpecException.class, () -> set.compile(null));
    assertThat(e.problems()).hasSize(2);
    assertThat(e.problems().get(0)).startsWith("mapping #2").contains("already written by mapping #1");
    assertThat(e.problems().get(1)).startsWith("mapping #3").contains("already written by mapping #1");
  }

  @Test
  void deeperRuleWinsOverAWholeObjectCopyInEitherOrder() {
    DataRecord charge = DataRecord.fromJson("{\"metadata\":{\"order\":\"o1\",\"note\":\"n\"},\"id\":\"ch_1\"}");
    String expected = "{\"m\":{\"order\":\"ch_1\",\"note\":\"n\"}}";
    Mapping wholeFirst = MappingSet.builder().map("data.metadata", "m").map("data.id", "m.order").build().compile(null);
    Mapping deepFirst = MappingSet.builder().map("data.id", "m.order").map("data.metadata", "m").build().compile(null);
    assertThat(wholeFirst.apply(charge).record().toJson()).isEqualTo(expected);
    assertThat(deepFirst.apply(charge).record()).isEqualTo(DataRecord.fromJson(expected));
  }

  @Test
  void theCurrentDataPrepFormIsReadAndWritten() {
    String json =
        "{\"version\":0,\"mappings\":["
            + "{\"sourceType\":\"ATTRIBUTE\",\"source\":\"data.id\",\"destination\":\"_{TENANT_ID}.c.id\",\"identity\":true},"
            + "{\"sourceType\":\"STATIC\",\"source\":\"stripe\",\"destination\":\"_{TENANT_ID}.c.origin\"},"
            + "{\"sourceType\":\"EXPRESSION\",\"source\":\"lower(data.currency)\",\"destination\":\"_{TENANT_ID}.c.cur\","
            + "\"name\":\"currency\",\"description\":\"lower-case ISO code\"}]}";
    MappingSet set = MappingSet.fromJson(json);
    assertThat(set.format()).isEqualTo(MappingSet.Format.SOURCE_TYPE);
    assertThat(set.toJson()).isEqualTo(json);
    MappingSet built =
        MappingSet.builder()
            .add(MappingRule.attribute("data.id", "_{TENANT_ID}.c.id").withIdentity(true))
            .constant("stripe", "_{TENANT_ID}.c.origin")
            .add(MappingRule.expression("lower(data.currency)", "_{TENANT_ID}.c.cur")
                .withName("currency").withDescription("lower-case ISO code"))
            .build();
    assertThat(built).isEqualTo(set);
    assertThat(MappingSet.fromJson(set.toJson(MappingSet.Format.SOURCE_ATTRIBUTE))).isEqualTo(set);
    DataRecord out = set.compile("acme").apply(DataRecord.fromJson("{\"id\":\"ch_1\",\"currency\":\"USD\"}")).record();
    assertThat(out.toJson()).isEqualTo("{\"_acme\":{\"c\":{\"id\":\"ch_1\",\"origin\":\"stripe\",\"cur\":\"usd\"}}}");
  }
}
