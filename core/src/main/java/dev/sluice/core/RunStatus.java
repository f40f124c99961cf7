package dev.sluice.core;

/** Where a {@link FlowRun} stands, as a dataflow service reports it. */
public enum RunStatus {
  /** Planned, not started. */
  SCHEDULED,
  /** Reading and writing now. */
  RUNNING,
  /** Finished; every record read was written. */
  SUCCESS,
  /** Finished; some records were rejected by the mapping and kept as row errors, the rest landed. */
  PARTIAL_SUCCESS,
  /** Stopped by an error; what was committed before it stays committed. */
  FAILED,
  /** Stopped on request; what was committed before it stays committed. */
  CANCELLED;

  /** Whether the run has ended. */
  public boolean isFinal() {
    return this != SCHEDULED && this != RUNNING;
  }
}
