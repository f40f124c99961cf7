package dev.sluice.core;

import java.util.List;
import java.util.Optional;

/**
 * Keeps the runs of flows, so they can be monitored afterwards: by flow, status and time, and for
 * the last runs of each flow, the records their mappings rejected. Built-in histories are in
 * {@link RunHistories}; a flow's default is an in-memory one.
 *
 * <p>A flow records each run when it starts (status {@link RunStatus#RUNNING}) and again when it
 * ends; {@link #record} replaces the earlier version of the same run id. A run whose process died
 * stays {@code RUNNING} in a persistent history.
 *
 * <p>Threading: histories are shared between flows and scheduler threads and must be
 * thread-safe.
 */
public interface RunHistory {

  /** Records a run, replacing the version with the same run id. */
  void record(FlowRun run);

  /**
   * Adds rejected records to a run (called as the run goes, page by page). A history keeps the
   * row errors of the last few runs of each flow and may drop older ones.
   */
  void recordRowErrors(String flowId, String runId, List<RowError> rowErrors);

  /** The runs matching a query, newest start first. */
  List<FlowRun> runs(RunQuery query);

  /** One run, by id. */
  Optional<FlowRun> run(String runId);

  /** The records a run's mapping rejected, oldest first; empty if none or no longer kept. */
  List<RowError> rowErrors(String runId);
}
