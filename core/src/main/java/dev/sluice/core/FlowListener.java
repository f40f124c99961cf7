package dev.sluice.core;

/**
 * Hears what a flow's runs do, so a host can wire its own progress display, metrics and alerts.
 * Every method does nothing by default; {@link #NONE} is the listener that ignores everything.
 *
 * <p>Methods are called on the thread running the flow; keep them quick. An exception a listener
 * throws is logged and otherwise ignored: it never changes the run.
 */
public interface FlowListener {
  /** The listener that ignores everything: the default. */
  FlowListener NONE = new FlowListener() {};

  /** A run started. */
  default void runStarted(Flow flow, String runId) {}

  /**
   * A batch was committed.
   *
   * @param recordsRead records read so far in this run
   * @param recordsWritten records committed so far in this run
   */
  default void progress(Flow flow, String runId, long recordsRead, long recordsWritten) {}

  /**
   * A page was read and handed to the sink (not yet committed, perhaps): how many records and
   * pages the run has read so far. Called once per page, on the run's thread; keep it cheap.
   */
  default void pageRead(Flow flow, String runId, long recordsRead, long pages) {}

  /** The run ended with {@link RunStatus#SUCCESS} or {@link RunStatus#PARTIAL_SUCCESS}. */
  default void runSucceeded(Flow flow, FlowRun run) {}

  /** A run ended with {@link RunStatus#FAILED}; its errors say why. */
  default void runFailed(Flow flow, FlowRun run) {}

  /** A run ended, whatever its status (called after {@link #runSucceeded}/{@link #runFailed}). */
  default void runEnded(Flow flow, FlowRun run) {}
}
