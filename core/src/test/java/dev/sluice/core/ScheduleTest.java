package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.Schedule.Frequency;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  @Test
  void onceIsTheDefaultAndTakesNoIntervalNorBackfill() {
    assertThat(Schedule.builder().build()).isEqualTo(Schedule.once());
    assertThat(Schedule.once().isRecurring()).isFalse();
    assertThatThrownBy(() -> Schedule.builder().interval(5).backfill(true).build())
        .isInstanceOf(FlowDefinitionException.class)
        .satisfies(e -> assertThat(((FlowDefinitionException) e).problems()).hasSize(2))
        .hasMessageContaining("interval: frequency 'once' runs one time and takes no interval")
        .hasMessageContaining("backfill: frequency 'once' takes no backfill");
  }

  @Test
  void minutesNeedAnIntervalOfAtLeast15() {
    assertThatThrownBy(() -> Schedule.every(5, Frequency.MINUTE))
        .hasMessageContaining("interval: frequency 'minute' needs an interval of at least 15, was 5:"
            + " set interval(15) or more");
    assertThat(Schedule.every(15, Frequency.MINUTE).period()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void hoursDaysAndWeeksNeedAPositiveInterval() {
    for (Frequency f : new Frequency[] {Frequency.HOUR, Frequency.DAY, Frequency.WEEK}) {
      assertThatThrownBy(() -> Schedule.every(0, f))
          .hasMessageContaining("frequency '" + f.wireName() + "' needs an interval of at least 1, was 0");
      assertThatThrownBy(() -> Schedule.builder().frequency(f).build())
          .hasMessageContaining("interval is not set: frequency '" + f.wireName() + "' needs interval(n)");
    }
    assertThat(Schedule.every(15, Frequency.DAY).period()).isEqualTo(Duration.ofDays(15));
    assertThat(Schedule.every(2, Frequency.WEEK).period()).isEqualTo(Duration.ofDays(14));
  }

  @Test
  void startTimeInUnixSecondsAndBackfillDefaultOn() {
    Schedule s = Schedule.builder().frequency(Frequency.HOUR).interval(1).startTime(1_700_000_000L).build();
    assertThat(s.startTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(s.backfill()).isTrue();
    assertThat(s.newBuilder().backfill(false).build().backfill()).isFalse();
  }

  @Test
  void dueTimesCountFromTheAnchorAndSkipMissedOnes() {
    Instant anchor = Instant.parse("2025-01-01T00:00:00Z");
    Schedule hourly = Schedule.every(1, Frequency.HOUR);
    assertThat(hourly.nextDueAfter(anchor, anchor.minusSeconds(10))).isEqualTo(anchor);
    assertThat(hourly.nextDueAfter(anchor, anchor)).isEqualTo(anchor.plusSeconds(3600));
    assertThat(hourly.nextDueAfter(anchor, anchor.plusSeconds(5 * 3600 + 1)))
        .isEqualTo(anchor.plusSeconds(6 * 3600));
    assertThat(Schedule.once().nextDueAfter(anchor, anchor)).isNull();
  }

  @Test
  void aFlowCarriesItsSchedule() {
    Schedule s = Schedule.every(1, Frequency.DAY);
    Flow flow = Flow.builder().source(new FlowTest.CountingSource(1, 1, -1))
        .into(Sinks.inMemory()).schedule(s).build();
    assertThat(flow.schedule()).isEqualTo(s);
    assertThat(flow.newBuilder().build().schedule()).isEqualTo(s);
  }
}
