package dev.sluice.core;

/** Lets a scheduler cancel a run: the run checks the flag between pages and before commits. */
final class RunControl {
  static final RunControl NONE = new RunControl();

  private volatile boolean cancelled;

  void cancel() {
    cancelled = true;
  }

  boolean isCancelled() {
    return cancelled;
  }
}
