package dev.sluice.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * When a flow runs, with the rules of a dataflow service's {@code scheduleParams}: a frequency
 * ({@code once}, the default, or {@code minute}, {@code hour}, {@code day}, {@code week}), an
 * interval between two runs (at least 15 for minutes, at least 1 otherwise; none for {@code
 * once}), a start time, and whether the first run backfills the history.
 *
 * <pre>{@code
 * Schedule every15Minutes = Schedule.every(15, Schedule.Frequency.MINUTE);
 * Schedule daily = Schedule.builder()
 *     .frequency(Schedule.Frequency.DAY).interval(1)
 *     .startTime(Instant.parse("2025-01-01T02:00:00Z"))
 *     .backfill(false)                 // only changes from the start time on
 *     .build();
 * }</pre>
 *
 * <p>Runs are due at {@code startTime + k × interval} (a day is 24 hours, a week 7 days, in UTC).
 * A {@link FlowScheduler} runs a flow when a due time has passed; due times missed while the
 * flow was still running, or while the process was down, are run once, not once each.
 *
 * <p><b>Backfill</b> (recurring schedules with a start time): with backfill on (the default),
 * the first run reads the source's whole history; with it off, changes that happened before the
 * start time are left out (counted in {@link FlowRun#recordsSkipped()}).
 *
 * <p>Immutable.
 */
public final class Schedule {
  private static final Schedule ONCE = new Schedule(Frequency.ONCE, 0, null, false);

  private final Frequency frequency;
  private final int interval;
  private final Instant startTime;
  private final boolean backfill;

  private Schedule(Frequency frequency, int interval, Instant startTime, boolean backfill) {
    this.frequency = frequency;
    this.interval = interval;
    this.startTime = startTime;
    this.backfill = backfill;
  }

  /** How often a flow runs. */
  public enum Frequency {
    /** One run, at the start time (or as soon as scheduled). The default. */
    ONCE(null, 0),
    /** Every {@code interval} minutes; the interval must be at least 15. */
    MINUTE(Duration.ofMinutes(1), 15),
    /** Every {@code interval} hours. */
    HOUR(Duration.ofHours(1), 1),
    /** Every {@code interval} days of 24 hours. */
    DAY(Duration.ofDays(1), 1),
    /** Every {@code interval} weeks of 7 days. */
    WEEK(Duration.ofDays(7), 1);

    private final Duration unit;
    private final int minInterval;

    Frequency(Duration unit, int minInterval) {
      this.unit = unit;
      this.minInterval = minInterval;
    }

    /** The smallest interval this frequency takes (0 for {@link #ONCE}, which takes none). */
    public int minInterval() {
      return minInterval;
    }

    /** The name a dataflow service uses: {@code "once"}, {@code "minute"}, … */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One run, as soon as scheduled: the default schedule. */
  public static Schedule once() {
    return ONCE;
  }

  /** One run at {@code startTime}. */
  public static Schedule once(Instant startTime) {
    return builder().startTime(startTime).build();
  }

  /**
   * A run every {@code interval} units of {@code frequency}, starting when scheduled.
   *
   * @throws FlowDefinitionException if the interval is too small for the frequency
   */
  public static Schedule every(int interval, Frequency frequency) {
    return builder().frequency(frequency).interval(interval).build();
  }

  /** A builder; with nothing set it builds {@link #once()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this schedule's settings. */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.frequency = frequency;
    b.interval = frequency == Frequency.ONCE ? null : interval;
    b.startTime = startTime;
    b.backfill = frequency == Frequency.ONCE ? null : backfill;
    return b;
  }

  /** How often the flow runs. */
  public Frequency frequency() {
    return frequency;
  }

  /** The number of frequency units between two runs; 0 for {@link Frequency#ONCE}. */
  public int interval() {
    return interval;
  }

  /** The first due time, or {@code null} for "as soon as scheduled". */
  public Instant startTime() {
    return startTime;
  }

  /** Whether the first run reads the source's history from before the start time. */
  public boolean backfill() {
    return backfill;
  }

  /** Whether the flow runs more than once. */
  public boolean isRecurring() {
    return frequency != Frequency.ONCE;
  }

  /** The time between two runs, or {@code null} for {@link Frequency#ONCE}. */
  public Duration period() {
    return frequency == Frequency.ONCE ? null : frequency.unit.multipliedBy(interval);
  }

  /**
   * The first due time after {@code after}, counting from {@code anchor} (the start time, or when
   * the flow was scheduled); {@code null} for a {@code once} schedule.
   */
  public Instant nextDueAfter(Instant anchor, Instant after) {
    Duration period = period();
    if (period == null) {
      return null;
    }
    if (after.isBefore(anchor)) {
      return anchor;
    }
    long periods = Duration.between(anchor, after).toMillis() / period.toMillis() + 1;
    return anchor.plus(period.multipliedBy(periods));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schedule s && s.frequency == frequency && s.interval == interval
        && Objects.equals(s.startTime, startTime) && s.backfill == backfill;
  }

  @Override
  public int hashCode() {
    return Objects.hash(frequency, interval, startTime, backfill);
  }

  @Override
  public String toString() {
    return "Schedule{" + frequency.wireName()
        + (frequency == Frequency.ONCE ? "" : ", interval=" + interval + ", backfill=" + backfill)
        + (startTime == null ? "" : ", startTime=" + startTime) + "}";
  }

  /**
   * Builds a {@link Schedule}; {@link #build()} checks the rules across fields and lists every
   * broken one.
   */
  public static final class Builder {
    private Frequency frequency = Frequency.ONCE;
    private Integer interval;
    private Instant startTime;
    private Boolean backfill;

    private Builder() {}

    /** How often to run. Default {@link Frequency#ONCE}. */
    public Builder frequency(Frequency frequency) {
      this.frequency = Objects.requireNonNull(frequency, "frequency == null");
      return this;
    }

    /** The units of frequency between two runs: at least 15 for minutes, 1 otherwise. */
    public Builder interval(int interval) {
      this.interval = interval;
      return this;
    }

    /** The first due time. Default: as soon as the flow is scheduled. */
    public Builder startTime(Instant startTime) {
      this.startTime = Objects.requireNonNull(startTime, "startTime == null");
      return this;
    }

    /** The first due time in Unix seconds, as {@code scheduleParams.startTime} gives it. */
    public Builder startTime(long unixSeconds) {
      return startTime(Instant.ofEpochSecond(unixSeconds));
    }

    /** Whether the first run reads history from before the start time. Default true. */
    public Builder backfill(boolean backfill) {
      this.backfill = backfill;
      return this;
    }

    /**
     * Returns the schedule.
     *
     * @throws FlowDefinitionException listing every broken rule, each naming the field and what
     *     to do
     */
    public Schedule build() {
      List<String> problems = new ArrayList<>();
      String name = "'" + frequency.wireName() + "'";
      if (frequency == Frequency.ONCE) {
        if (interval != null) {
          problems.add("interval: frequency 'once' runs one time and takes no interval (was "
              + interval + "): remove interval(...) or choose frequency minute, hour, day or week");
        }
        if (backfill != null) {
          problems.add("backfill: frequency 'once' takes no backfill setting: remove backfill(...)"
              + " or choose a recurring frequency");
        }
      } else if (interval == null) {
        problems.add("interval is not set: frequency " + name + " needs interval(n) with n at least "
            + frequency.minInterval);
      } else if (interval < frequency.minInterval) {
        problems.add("interval: frequency " + name + " needs an interval of at least "
            + frequency.minInterval + ", was " + interval + ": set interval(" + frequency.minInterval
            + ") or more" + (frequency == Frequency.MINUTE ? ", or use frequency hour" : ""));
      }
      if (!problems.isEmpty()) {
        throw new FlowDefinitionException(problems);
      }
      if (frequency == Frequency.ONCE) {
        return startTime == null ? ONCE : new Schedule(Frequency.ONCE, 0, startTime, false);
      }
      return new Schedule(frequency, interval, startTime, backfill == null || backfill);
    }
  }
}
