package dev.sluice.xdm.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.xdm.DataRecord;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The functions whose value changes on every call: checked against the clock and a pattern. */
class ClockAndRandomFunctionsTest {

  @Test
  void nowTimestampAndUuid() {
    Mapping mapping =
        MappingSet.builder()
            .expression("now()", "f.now")
            .expression("timestamp()", "f.ts")
            .expression("uuid()", "f.uuid")
            .expression("guid()", "f.guid")
            .build()
            .compile(null);
    long before = System.currentTimeMillis();
    MappingResult result = mapping.apply(DataRecord.empty());
    long after = System.currentTimeMillis();

    assertThat(result.errors()).isEmpty();
    DataRecord f = result.record().getRecord("f");
    long now = OffsetDateTime.parse(f.getString("now")).toInstant().toEpochMilli();
    assertThat(now).isBetween(before, after);
    assertThat(f.getLong("ts")).isBetween(before, after);
    assertThat(f.getString("uuid")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(f.getString("guid")).isNotEqualTo(f.getString("uuid"));
  }
}
