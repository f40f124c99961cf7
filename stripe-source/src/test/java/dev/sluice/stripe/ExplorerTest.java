package dev.sluice.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Explore: readable resources, previews, and schemas in the AEP explore format. */
class ExplorerTest {
  static DataRecord resource(String name) throws IOException {
    try (InputStream in = ExplorerTest.class.getResourceAsStream(name)) {
      return DataRecord.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void theSchemaOfTheDocumentsChargeAgreesWithAepsExploreAnswer() throws IOException {
    DataRecord seedCharge = resource("/explore/seed000-charge.json");
    DataRecord aep = resource("/explore/aep-explore-charges-schema.json");
    DataRecord ours = StripeExplorer.schemaOf(List.of(seedCharge));

    assertThat(ours.getString("format")).isEqualTo("hierarchical");
    DataRecord ourData = (DataRecord) ours.getPath("schema.properties.data");
    DataRecord aepData = (DataRecord) aep.getPath("schema.properties.data");
    assertAgrees(ourData, aepData, "data");
    // Rules written out: integers carry the 2^53 bounds, nulls are {}, empty objects keep properties.
    assertThat(ourData.getPath("properties.amount").toString())
        .isEqualTo("{\"type\":\"integer\",\"minimum\":-9007199254740992,\"maximum\":9007199254740991}");
    assertThat(ourData.getPath("properties.customer").toString()).isEqualTo("{}");
    assertThat(ourData.getPath("properties.metadata").toString()).isEqualTo("{\"type\":\"object\",\"properties\":{}}");
  }

  /** Every field of ours is in AEP's answer with the same type, unless one side only saw null. */
  static void assertAgrees(DataRecord ours, DataRecord aep, String path) {
    if (ours.isEmpty() || aep.isEmpty()) {
      return;
    }
    assertThat(ours.getString("type")).as(path).isEqualTo(aep.getString("type"));
    if ("integer".equals(ours.getString("type"))) {
      assertThat(ours).as(path).isEqualTo(aep);
    }
    DataRecord props = ours.getRecord("properties");
    if (props != null) {
      for (Map.Entry<String, Object> e : props.asMap().entrySet()) {
        assertThat(aep.getRecord("properties").has(e.getKey())).as(path + "." + e.getKey()).isTrue();
        assertAgrees((DataRecord) e.getValue(), aep.getRecord("properties").getRecord(e.getKey()),
            path + "." + e.getKey());
      }
    }
  }

  @Test
  void arraysMergeTheirItemsAndIntegersWidenToNumbers() {
    DataRecord schema = StripeExplorer.schemaOf(List.of(
        DataRecord.fromJson("{\"x\":1,\"tags\":[{\"a\":\"s\"}],\"n\":null}"),
        DataRecord.fromJson("{\"x\":1.5,\"tags\":[{\"b\":true}],\"n\":null}")));
    DataRecord data = (DataRecord) schema.getPath("schema.properties.data.properties");
    assertThat(data.getRecord("x").toString()).isEqualTo("{\"type\":\"number\"}");
    assertThat(data.getPath("tags.items.properties").toString())
        .isEqualTo("{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"boolean\"}}");
    assertThat(data.getRecord("n").toString()).isEqualTo("{}");
  }

  @Test
  void againstTheEmulatorItListsPreviewsAndInfers() {
    try (StripeEmulator emulator = StripeEmulator.builder().seed(5).objectsPerResource(40).build().start()) {
      StripeConnection c = StripeConnection.builder().apiKey("sk_test_explore").apiBase(emulator.baseUrl())
          .initialBackoff(Duration.ZERO).build();
      StripeExplorer explore = c.explore();
      assertThat(explore.readableResources()).containsExactlyElementsOf(
          StripeCatalog.all().stream().map(r -> r.name()).toList());
      List<DataRecord> preview = explore.preview("customers", 25);
      assertThat(preview).hasSize(25).allSatisfy(r -> assertThat(r.getString("object")).isEqualTo("customer"));
      DataRecord schema = explore.schema("charges", 40);
      assertThat(schema.getPath("schema.properties.data.properties.amount.type")).isEqualTo("integer");
      assertThat(schema.getPath("schema.properties.data.properties.billing_details.type")).isEqualTo("object");
    }
  }
}
