package dev.sluice.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one run of a {@link Flow} did: its status, when it ran, how many records it read, wrote and
 * failed, how much traffic it made, the window of changes it covered, and the errors it met.
 *
 * <p>The records a mapping rejected are kept with their errors as {@link RowError}s in the flow's
 * {@link RunHistory}: {@code flow.runHistory().rowErrors(run.runId())}.
 *
 * @param runId this run's id
 * @param flowId the flow's id
 * @param dataset the dataset the run wrote
 * @param status where the run ended ({@link RunStatus#RUNNING} while it runs)
 * @param startedAt when it started
 * @param endedAt when it ended, or {@code null} while it runs
 * @param recordsRead changes read from the source
 * @param recordsWritten changes written to the sink and committed
 * @param recordsFailed changes the mapping rejected
 * @param pages pages read from the source
 * @param requests API requests made by the source, retries included
 * @param bytesRead bytes read from the network
 * @param errors the errors met: run-level ones, and up to a bounded number of rejected records
 * @param recordsSkipped changes left out because they happened before the schedule's start time
 *     and the schedule has no backfill
 * @param recordsDeleted ids a full refresh deleted from the sink because the source no longer had
 *     them
 * @param bytesWritten bytes the sink wrote, or {@code -1} when the sink does not count them
 * @param retries requests the source retried
 * @param windowStart the earliest change time read, or {@code null} when nothing was read
 * @param windowEnd the latest change time read, or {@code null} when nothing was read
 * @param fullRefresh whether the run re-read the source from scratch
 * @param schemaChanges the fields of the source's records this run saw for the first time, and
 *     the fields whose JSON type changed, against what earlier runs saw (see {@link SchemaChange});
 *     empty on a flow's first run, which learns the fields
 * @param apiVersion the API version the run read its data at (Stripe's {@code Stripe-Version}), or
 *     {@code null} when the source did not say
 * @param apiVersionBefore the API version the data committed before this run was read at, or
 *     {@code null} when not known; see {@link #apiVersionChanged()}
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
    List<RunError> errors,
    long recordsSkipped,
    long recordsDeleted,
    long bytesWritten,
    long retries,
    Instant windowStart,
    Instant windowEnd,
    boolean fullRefresh,
    List<SchemaChange> schemaChanges,
    String apiVersion,
    String apiVersionBefore) {

  /** Checks the fields and copies the lists. */
  public FlowRun {
    Objects.requireNonNull(runId, "runId == null");
    Objects.requireNonNull(status, "status == null");
    errors = List.copyOf(errors);
    schemaChanges = List.copyOf(schemaChanges);
  }

  /**
   * The run without the drift report of later versions: no schema changes, API versions not known.
   */
  public FlowRun(String runId, String flowId, String dataset, RunStatus status, Instant startedAt,
      Instant endedAt, long recordsRead, long recordsWritten, long recordsFailed, long pages,
      long requests, long bytesRead, List<RunError> errors, long recordsSkipped,
      long recordsDeleted, long bytesWritten, long retries, Instant windowStart, Instant windowEnd,
      boolean fullRefresh) {
    this(runId, flowId, dataset, status, startedAt, endedAt, recordsRead, recordsWritten,
        recordsFailed, pages, requests, bytesRead, errors, recordsSkipped, recordsDeleted,
        bytesWritten, retries, windowStart, windowEnd, fullRefresh, List.of(), null, null);
  }

  /**
   * The run as the first version of this type described it; of the fields added since, {@code
   * bytesWritten} is {@code -1} (not counted), the window is {@code null}, the rest zero or false.
   */
  public FlowRun(String runId, String flowId, String dataset, RunStatus status, Instant startedAt,
      Instant endedAt, long recordsRead, long recordsWritten, long recordsFailed, long pages,
      long requests, long bytesRead, List<RunError> errors) {
    this(runId, flowId, dataset, status, startedAt, endedAt, recordsRead, recordsWritten,
        recordsFailed, pages, requests, bytesRead, errors, 0, 0, -1, 0, null, null, false);
  }

  /**
   * Whether the API version the data is read at changed: this run read at {@link #apiVersion()},
   * the data committed before was read at another {@link #apiVersionBefore()}.
   */
  public boolean apiVersionChanged() {
    return apiVersion != null && apiVersionBefore != null && !apiVersion.equals(apiVersionBefore);
  }

  /** How long the run took, or took so far when {@link #endedAt()} is not set. */
  public Duration duration() {
    return Duration.between(startedAt, endedAt != null ? endedAt : Instant.now());
  }

  /** Whether the run landed what it read (fully or partially). */
  public boolean succeeded() {
    return status == RunStatus.SUCCESS || status == RunStatus.PARTIAL_SUCCESS;
  }

  /**
   * The share of the records read (skipped ones left out) that the mapping rejected, in percent; 0
   * when nothing was read. {@link Flow.Builder#maxFailedPercent} is compared with it.
   */
  public double failedPercent() {
    long considered = recordsRead - recordsSkipped;
    return considered <= 0 ? 0 : recordsFailed * 100.0 / considered;
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
