package dev.sluice.core;

/**
 * Hears what a flow's runs do, so a host can wire its own progress display, metrics and alerts.
 * Every method does nothing by default; {@link #NONE} is the listener that ignores everything.
 *
 * <p>Methods are called on the thread running the flow; keep them quick and do not throw.
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

  /** A run ended, whatever its status. */
  default void runEnded(Flow flow, FlowRun run) {}
}
