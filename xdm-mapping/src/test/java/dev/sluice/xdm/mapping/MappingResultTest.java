package dev.sluice.xdm.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MappingResultTest {
  @Test
  void aResultFromARecordGivesItsText() {
    DataRecord record = DataRecord.fromJson("{\"a\":{\"b\":null,\"n\":12.50}}");
    MappingResult result = MappingResult.of(record);
    assertThat(result.json()).isEqualTo("{\"a\":{\"b\":null,\"n\":12.50}}");
    assertThat(result.record()).isSameAs(record);
    assertThat(result).hasToString(result.json());
  }

  @Test
  void aResultFromTextGivesItsRecordWhenAsked() {
    MappingResult result = MappingResult.ofJson("{\"_acme\":{\"id\":\"ch_1\",\"customer\":null}}");
    assertThat(result.isRejected()).isFalse();
    assertThat(result.errors()).isEmpty();
    assertThat(result.record()).isEqualTo(
        DataRecord.builder().put("_acme", DataRecord.builder().put("id", "ch_1").put("customer", null).build()).build());
    assertThat(result.record()).isSameAs(result.record());
  }

  @Test
  void aRejectedResultHasNoText() {
    MappingError error = new MappingError("REQUIRED_FIELD_MISSING", "data.id", "_acme.id", null, "missing", true);
    MappingResult result = MappingResult.rejected(List.of(error));
    assertThat(result.isRejected()).isTrue();
    assertThat(result.json()).isNull();
    assertThat(result.record()).isNull();
  }

  @Test
  void textThatIsNotAnObjectIsRefused() {
    assertThatThrownBy(() -> MappingResult.ofJson("[1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON object");
    assertThatThrownBy(() -> MappingResult.ofJson("{\"a\":").record()).isInstanceOf(JsonFormatException.class);
  }

  @Test
  void anyMappingMapsTextThroughItsRecords() {
    Mapping upperIds = source -> MappingResult.of(
        DataRecord.builder().put("id", source.getString("id").toUpperCase(java.util.Locale.ROOT)).build());
    assertThat(upperIds.applyJson("{\"id\":\"ch_1\"}").json()).isEqualTo("{\"id\":\"CH_1\"}");
    assertThat(Mapping.identity().applyJson(" {\"b\":1,\"a\":[true]} ").json()).isEqualTo("{\"b\":1,\"a\":[true]}");
    assertThatThrownBy(() -> Mapping.identity().applyJson("[]")).isInstanceOf(JsonFormatException.class);
  }
}
