package dev.sluice.core;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which runs to read from a {@link RunHistory}: by flow, by status and by start time, newest
 * first, at most {@link #limit()}.
 *
 * <pre>{@code
 * List<FlowRun> failures = history.runs(RunQuery.builder()
 *     .flowId("charges").status(RunStatus.FAILED)
 *     .startedFrom(Instant.now().minus(Duration.ofDays(1)))
 *     .build());
 * }</pre>
 *
 * @param flowId only this flow's runs, or {@code null} for every flow
 * @param statuses only runs in one of these statuses; empty for any status
 * @param startedFrom only runs started at or after this instant, or {@code null}
 * @param startedBefore only runs started before this instant, or {@code null}
 * @param limit the most runs returned
 */
public record RunQuery(String flowId, Set<RunStatus> statuses, Instant startedFrom,
    Instant startedBefore, int limit) {

  /** Checks the limit and copies the statuses. */
  public RunQuery {
    statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }

  /** Every run of every flow (up to 1,000). */
  public static RunQuery all() {
    return builder().build();
  }

  /** A builder; with nothing set it matches every run, up to 1,000. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether a run matches this query (the limit aside). */
  public boolean matches(FlowRun run) {
    return (flowId == null || flowId.equals(run.flowId()))
        && (statuses.isEmpty() || statuses.contains(run.status()))
        && (startedFrom == null || !run.startedAt().isBefore(startedFrom))
        && (startedBefore == null || run.startedAt().isBefore(startedBefore));
  }

  /** Builds a {@link RunQuery}. */
  public static final class Builder {
    private String flowId;
    private final Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
    private Instant startedFrom;
    private Instant startedBefore;
    private int limit = 1_000;

    private Builder() {}

    /** Only this flow's runs. */
    public Builder flowId(String flowId) {
      this.flowId = Objects.requireNonNull(flowId, "flowId == null");
      return this;
    }

    /** Only runs in one of these statuses (calls add up). */
    public Builder status(RunStatus... statuses) {
      for (RunStatus s : statuses) {
        this.statuses.add(Objects.requireNonNull(s, "status == null"));
      }
      return this;
    }

    /** Only runs started at or after this instant. */
    public Builder startedFrom(Instant from) {
      this.startedFrom = Objects.requireNonNull(from, "from == null");
      return this;
    }

    /** Only runs started before this instant. */
    public Builder startedBefore(Instant before) {
      this.startedBefore = Objects.requireNonNull(before, "before == null");
      return this;
    }

    /** The most runs returned (default 1,000). */
    public Builder limit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be at least 1, was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /**
     * Returns the query.
     *
     * @throws IllegalArgumentException if startedFrom is not before startedBefore
     */
    public RunQuery build() {
      if (startedFrom != null && startedBefore != null && !startedFrom.isBefore(startedBefore)) {
        throw new IllegalArgumentException("startedFrom (" + startedFrom
            + ") must be before startedBefore (" + startedBefore + "): swap or widen them");
      }
      return new RunQuery(flowId, statuses, startedFrom, startedBefore, limit);
    }
  }
}
