package dev.sluice.examples;

import dev.sluice.core.Flow;
import dev.sluice.core.FlowListener;
import dev.sluice.core.FlowRun;
import dev.sluice.core.StateStore;
import dev.sluice.xdm.DataRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells the user how a sync goes: a line when a resource starts, then at a fixed interval (2 s by
 * default) its records and pages so far, the rate, and during a backfill how much of the {@code
 * created} range is covered; on a terminal the line is redrawn in place. Silent when quiet.
 */
final class Progress implements FlowListener, AutoCloseable {
  /** Stripe's first objects are from 2011; the Stripe source's backfill starts there. */
  private static final long STRIPE_EPOCH = 1_293_840_000L;

  private final PrintStream err;
  private final boolean terminal;
  private final ScheduledExecutorService timer;
  private volatile String resource;
  private volatile long startedNanos;
  private volatile long read;
  private volatile long pages;
  private volatile Double covered;
  private boolean lineOpen;

  Progress(PrintStream err, boolean terminal, Duration interval) {
    this.err = err;
    this.terminal = terminal;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sluice-progress");
      t.setDaemon(true);
      return t;
    });
    long ms = interval.toMillis();
    timer.scheduleAtFixedRate(this::print, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void runStarted(Flow flow, String runId) {
    resource = flow.id();
    startedNanos = System.nanoTime();
    read = 0;
    pages = 0;
    covered = null;
    err.println(flow.id() + ": syncing…");
  }

  @Override
  public void pageRead(Flow flow, String runId, long recordsRead, long pagesRead) {
    read = recordsRead;
    pages = pagesRead;
  }

  @Override
  public synchronized void runEnded(Flow flow, FlowRun run) {
    resource = null;
    closeLine();
    double seconds = run.duration().toNanos() / 1e9;
    err.println(String.format(Locale.ROOT, "%s: %s, %,d read, %,d written in %.1f s",
        flow.id(), run.status().name().toLowerCase(Locale.ROOT), run.recordsRead(),
        run.recordsWritten(), seconds));
  }

  /** Wraps the flows' state store to see, from each checkpoint, how far a backfill got. */
  StateStore observing(StateStore store) {
    return new StateStore() {
      @Override
      public Optional<String> load(String key) {
        return store.load(key);
      }

      @Override
      public void save(String key, String checkpoint) {
        store.save(key, checkpoint);
        covered = backfillCovered(checkpoint);
      }

      @Override
      public void delete(String key) {
        store.delete(key);
      }

      @Override
      public String toString() {
        return store.toString();
      }
    };
  }

  /**
   * The share of the {@code created} range a Stripe backfill checkpoint has read, or null when it
   * is not a backfill's. A slice begun but not finished counts as not read.
   */
  static Double backfillCovered(String checkpoint) {
    try {
      DataRecord state = DataRecord.fromJson(checkpoint);
      if (!"backfill".equals(state.getString("phase")) || state.getLong("top") == null) {
        return null;
      }
      long top = state.getLong("top");
      long from = Math.min(STRIPE_EPOCH, top);
      double total = top - from + 1;
      double left = 0;
      List<Object> slices = state.getList("slices");
      for (Object o : slices == null ? List.of() : slices) {
        DataRecord slice = (DataRecord) o;
        left += slice.getLong("lte") - slice.getLong("gte") + 1;
      }
      return Math.max(0, Math.min(1, 1 - left / total));
    } catch (RuntimeException e) {
      return null; // another source's checkpoint: no coverage to show
    }
  }

  private synchronized void print() {
    String r = resource;
    if (r == null) {
      return;
    }
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    Double c = covered;
    String line = String.format(Locale.ROOT, "%s: %,d read, %,d pages, %,.0f records/s%s", r,
        read, pages, seconds > 0 ? read / seconds : 0,
        c == null ? "" : String.format(Locale.ROOT, ", backfill %.0f%% of the created range", c * 100));
    if (terminal) {
      err.print("\r\033[K" + line);
      err.flush();
      lineOpen = true;
    } else {
      err.println(line);
    }
  }

  private void closeLine() {
    if (lineOpen) {
      err.print("\r\033[K");
      lineOpen = false;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    synchronized (this) {
      closeLine();
    }
  }
}
