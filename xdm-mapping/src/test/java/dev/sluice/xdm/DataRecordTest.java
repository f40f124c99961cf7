package dev.sluice.xdm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataRecordTest {

  @Test
  void keepsKeyOrderAndRoundTripsJsonText() {
    String json = "{\"z\":1,\"a\":\"x\",\"m\":[true,null,{\"k\":2}],\"n\":null,\"e\":{}}";
    DataRecord record = DataRecord.fromJson(json);
    assertThat(record.keys()).containsExactly("z", "a", "m", "n", "e");
    assertThat(record.toJson()).isEqualTo(json);
  }

  @Test
  void integersStayExactAndDecimalsAreBigDecimal() {
    DataRecord record =
        DataRecord.fromJson(
            "{\"small\":1099,\"neg\":-5,\"max\":9223372036854775807,"
                + "\"huge\":123456789012345678901234567890,\"dec\":0.1,\"exp\":1e3,\"big53\":9007199254740993}");
    assertThat(record.get("small")).isEqualTo(1099L);
    assertThat(record.get("neg")).isEqualTo(-5L);
    assertThat(record.get("max")).isEqualTo(Long.MAX_VALUE);
    assertThat(record.get("huge")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(record.get("dec")).isEqualTo(new BigDecimal("0.1"));
    assertThat(record.get("exp")).isInstanceOf(BigDecimal.class);
    // 2^53 + 1 is not representable as a double; it must survive.
    assertThat(record.get("big53")).isEqualTo(9007199254740993L);
    assertThat(record.toJson())
        .contains("\"big53\":9007199254740993")
        .contains("\"huge\":123456789012345678901234567890")
        .contains("\"dec\":0.1");
  }

  @Test
  void nullIsNotAbsent() {
    DataRecord record = DataRecord.fromJson("{\"customer\":null,\"outcome\":{\"reason\":null}}");
    assertThat(record.has("customer")).isTrue();
    assertThat(record.isNull("customer")).isTrue();
    assertThat(record.has("invoice")).isFalse();
    assertThat(record.isNull("invoice")).isFalse();
    assertThat(record.hasPath("outcome.reason")).isTrue();
    assertThat(record.hasPath("outcome.type")).isFalse();
    assertThat(record.hasPath("customer.id")).isFalse();
  }

  @Test
  void pathsFollowObjectsAndIndexes() {
    DataRecord record =
        DataRecord.fromJson("{\"items\":{\"data\":[{\"id\":\"si_1\"},{\"id\":\"si_2\"}]}}");
    assertThat(record.getPath("items.data[1].id")).isEqualTo("si_2");
    assertThat(record.hasPath("items.data[2].id")).isFalse();
  }

  @Test
  void builderConvertsJavaValuesAndRefusesDoubles() {
    DataRecord record =
        DataRecord.builder()
            .put("i", 3)
            .put("map", Map.of("k", "v"))
            .put("list", List.of(1, "two"))
            .putNull("none")
            .build();
    assertThat(record.get("i")).isEqualTo(3L);
    assertThat(record.getRecord("map").getString("k")).isEqualTo("v");
    assertThat(record.getList("list")).containsExactly(1L, "two");
    assertThat(record.isNull("none")).isTrue();
    assertThatThrownBy(() -> DataRecord.builder().put("amount", 10.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'amount'")
        .hasMessageContaining("BigDecimal");
  }

  @Test
  void recordsAreImmutableAndBuildersIndependent() {
    DataRecord.Builder builder = DataRecord.builder().put("a", 1);
    DataRecord first = builder.build();
    builder.put("b", 2);
    assertThat(first.keys()).containsExactly("a");
    assertThat(first.toBuilder().put("a", 5).build().get("a")).isEqualTo(5L);
    assertThat(first.get("a")).isEqualTo(1L);
    assertThatThrownBy(() -> first.asMap().put("x", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void malformedJsonNamesThePath() {
    assertThatThrownBy(() -> DataRecord.fromJson("{\"a\":[1,}"))
        .isInstanceOf(JsonFormatException.class)
        .hasMessageContaining("$.a[");
    assertThatThrownBy(() -> DataRecord.fromJson("[1]"))
        .isInstanceOf(JsonFormatException.class)
        .hasMessageContaining("Expected a JSON object at path $");
    assertThatThrownBy(() -> DataRecord.fromJson("{} {}"))
        .isInstanceOf(JsonFormatException.class);
  }

  @Test
  void unicodeAndEscapesRoundTrip() {
    String json = "{\"name\":\"Zoë \\\"quoted\\\" \\u2028 日本\",\"key with.dot\":\"v\"}";
    DataRecord record = DataRecord.fromJson(json);
    assertThat(record.getString("name")).isEqualTo("Zoë \"quoted\" \u2028 日本");
    assertThat(DataRecord.fromJson(record.toJson())).isEqualTo(record);
  }
}
