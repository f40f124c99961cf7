package dev.sluice.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one run of a {@link Flow} did: its status, when it ran, how many records it read, wrote and
 * failed, how much traffic it made, and the errors it met.
 *
 * @param runId this run's id
 * @param flowId the flow's id
 * @param dataset the dataset the run wrote
 * @param status where the run ended
 * @param startedAt when it started
 * @param endedAt when it ended
 * @param recordsRead changes read from the source
 * @param recordsWritten changes written to the sink and committed
 * @param recordsFailed changes the mapping rejected
 * @param pages pages read from the source
 * @param requests API requests made by the source, retries included
 * @param bytesRead bytes read from the network
 * @param errors the errors met: run-level ones, and up to a bounded number of rejected records
 */
public record FlowRun(
    String runId,
    String flowId,
    String dataset,
    RunStatus status,
    Instant startedAt,
    Instant endedAt,
    long recordsRead,
    long recordsWritten,
    long recordsFailed,
    long pages,
    long requests,
    long bytesRead,
    List<RunError> errors) {

  /** Checks the fields and copies the error list. */
  public FlowRun {
    Objects.requireNonNull(runId, "runId == null");
    Objects.requireNonNull(status, "status == null");
    errors = List.copyOf(errors);
  }

  /** How long the run took. */
  public Duration duration() {
    return Duration.between(startedAt, endedAt);
  }

  /** Whether the run landed what it read (fully or partially). */
  public boolean succeeded() {
    return status == RunStatus.SUCCESS || status == RunStatus.PARTIAL_SUCCESS;
  }

  /** The first run-level error's message, or {@code null} when there is none. */
  public String failureMessage() {
    return errors.stream()
        .filter(e -> e.recordId() == null)
        .map(RunError::message)
        .findFirst()
        .orElse(null);
  }
}
