package dev.sluice.core;

/**
 * A handle to cancel a run from another thread: give it to {@link Flow#runOnce(RunControl)} and
 * call {@link #cancel()} (from a Ctrl-C hook, say). The run stops at the next page: it commits the
 * records it already wrote and saves their checkpoint, then ends {@link RunStatus#CANCELLED}; a
 * later run resumes from there. One handle serves one run. Thread-safe.
 */
public final class RunControl {
  static final RunControl NONE = new RunControl();

  private volatile boolean cancelled;

  /** A handle that is not cancelled yet. */
  public RunControl() {}

  /** Asks the run to stop at the next page; does not wait for it. */
  public void cancel() {
    if (this == NONE) {
      throw new IllegalStateException("RunControl.NONE cannot be cancelled");
    }
    cancelled = true;
  }

  /** Whether {@link #cancel()} was called. */
  public boolean isCancelled() {
    return cancelled;
  }
}
