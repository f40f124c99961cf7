package dev.sluice.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs flows in this process on their {@link Schedule}s.
 *
 * <pre>{@code
 * try (FlowScheduler scheduler = FlowScheduler.builder().build()) {
 *   scheduler.schedule(chargesFlow);      // Schedule.every(15, MINUTE), say
 *   scheduler.start();                    // a daemon thread starts runs when they are due
 *   ...
 * }                                       // close(): cancels running runs and waits for them
 * }</pre>
 *
 * <p>A flow never has two runs at once: a due time that passes while the flow still runs is
 * skipped (the next one counts), and {@link #runNow} refuses. A running run can be {@link
 * #cancel cancelled}: it stops between two pages with status {@link RunStatus#CANCELLED}, and
 * what it committed stays committed.
 *
 * <p><b>Time.</b> Due times are read from the {@link Builder#clock clock}. Tests give a clock
 * they move by hand and call {@link #runDue()} themselves instead of {@link #start()}; the
 * returned futures complete when the runs end. Thread-safe.
 */
public final class FlowScheduler implements AutoCloseable {
  private final Clock clock;
  private final ExecutorService executor;
  private final Duration closeTimeout;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final FlowRegistry registry;
  private final Object lock = new Object();
  private Thread loop;
  private boolean closed;

  private FlowScheduler(Builder b) {
    this.clock = b.clock;
    this.closeTimeout = b.closeTimeout;
    this.registry = b.registry;
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(b.maxConcurrentRuns, b.maxConcurrentRuns,
        30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "sluice-run-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    this.executor = pool;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  private static final class Entry {
    final Flow flow;
    final Instant anchor;
    Instant nextDue;
    RunControl control;
    CompletableFuture<FlowRun> running;

    Entry(Flow flow, Instant anchor) {
      this.flow = flow;
      this.anchor = anchor;
      this.nextDue = anchor;
    }
  }

  /**
   * Schedules a flow by its id, replacing a flow scheduled with the same id (a run of the old one
   * that is under way finishes). Its first run is due at its schedule's start time, or now.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public void schedule(Flow flow) {
    Objects.requireNonNull(flow, "flow == null");
    synchronized (lock) {
      checkOpen();
      Instant start = flow.schedule().startTime() != null ? flow.schedule().startTime() : clock.instant();
      Entry entry = new Entry(flow, start);
      Entry old = entries.put(flow.id(), entry);
      if (old != null && old.running != null && !old.running.isDone()) {
        entry.running = old.running;
        entry.control = old.control;
        if (old.flow.schedule().equals(flow.schedule())) {
          entry.nextDue = old.nextDue;
        }
      }
      lock.notifyAll();
    }
  }

  /** Stops scheduling a flow; a run under way finishes. Returns whether it was scheduled. */
  public boolean unschedule(String flowId) {
    synchronized (lock) {
      return entries.remove(flowId) != null;
    }
  }

  /** When the flow's next run is due, if it is scheduled and has one. */
  public Optional<Instant> nextRun(String flowId) {
    synchronized (lock) {
      Entry e = entries.get(flowId);
      return e == null ? Optional.empty() : Optional.ofNullable(e.nextDue);
    }
  }

  /** Whether a run of the flow is under way. */
  public boolean isRunning(String flowId) {
    synchronized (lock) {
      Entry e = entries.get(flowId);
      return e != null && e.running != null && !e.running.isDone();
    }
  }

  /**
   * Starts the runs that are due now, each on a worker thread, and returns them; flows still
   * running are skipped and their due time moves on.
   */
  public List<CompletableFuture<FlowRun>> runDue() {
    List<CompletableFuture<FlowRun>> started = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        return started;
      }
      if (registry != null) {
        followRegistry();
      }
      Instant now = clock.instant();
      for (Entry e : entries.values()) {
        if (e.nextDue == null || e.nextDue.isAfter(now)) {
          continue;
        }
        e.nextDue = e.flow.schedule().nextDueAfter(e.anchor, now);
        if (e.running != null && !e.running.isDone()) {
          continue;
        }
        started.add(launch(e));
      }
    }
    return started;
  }

  /**
   * Makes the scheduled flows those of the registry that are enabled, each in its latest version:
   * a flow disabled or deleted there is unscheduled (a run under way finishes), a flow updated
   * there is scheduled again as {@link #schedule} does. Called with the lock held.
   */
  private void followRegistry() {
    Map<String, FlowRegistry.RegisteredFlow> enabled = new LinkedHashMap<>();
    for (FlowRegistry.RegisteredFlow r : registry.list()) {
      if (r.enabled()) {
        enabled.put(r.id(), r);
      }
    }
    entries.keySet().removeIf(id -> !enabled.containsKey(id));
    for (FlowRegistry.RegisteredFlow r : enabled.values()) {
      Entry e = entries.get(r.id());
      if (e == null || e.flow != r.flow()) {
        schedule(r.flow());
      }
    }
  }

  /**
   * Starts a run of a scheduled flow now, outside its schedule.
   *
   * @throws IllegalStateException if the flow is not scheduled or a run of it is under way
   */
  public CompletableFuture<FlowRun> runNow(String flowId) {
    synchronized (lock) {
      checkOpen();
      Entry e = entries.get(flowId);
      if (e == null) {
        throw new IllegalStateException("flow '" + flowId + "' is not scheduled: call schedule(flow) first");
      }
      if (e.running != null && !e.running.isDone()) {
        throw new IllegalStateException("flow '" + flowId
            + "' is already running: a flow never runs twice at once; wait for the run or cancel it");
      }
      return launch(e);
    }
  }

  private CompletableFuture<FlowRun> launch(Entry e) {
    RunControl control = new RunControl();
    CompletableFuture<FlowRun> future = new CompletableFuture<>();
    e.control = control;
    e.running = future;
    executor.execute(() -> {
      try {
        future.complete(e.flow.execute(control, e.flow.fullRefresh()));
      } catch (Throwable t) {
        future.completeExceptionally(t);
      } finally {
        synchronized (lock) {
          lock.notifyAll();
        }
      }
    });
    return future;
  }

  /**
   * Asks the flow's run under way to stop; it ends as {@link RunStatus#CANCELLED} at its next
   * page or commit. Returns whether a run was under way.
   */
  public boolean cancel(String flowId) {
    synchronized (lock) {
      Entry e = entries.get(flowId);
      if (e == null || e.running == null || e.running.isDone()) {
        return false;
      }
      e.control.cancel();
      return true;
    }
  }

  /** Starts a daemon thread that starts runs when they fall due, by the clock. */
  public void start() {
    synchronized (lock) {
      checkOpen();
      if (loop != null) {
        return;
      }
      loop = new Thread(this::loop, "sluice-scheduler");
      loop.setDaemon(true);
      loop.start();
    }
  }

  private void loop() {
    while (true) {
      runDue();
      synchronized (lock) {
        if (closed) {
          return;
        }
        long wait = 1_000;
        Instant now = clock.instant();
        for (Entry e : entries.values()) {
          if (e.nextDue != null) {
            wait = Math.min(wait, Math.max(1, Duration.between(now, e.nextDue).toMillis()));
          }
        }
        try {
          lock.wait(wait);
        } catch (InterruptedException ex) {
          return;
        }
      }
    }
  }

  /**
   * Stops: no run starts any more, runs under way are cancelled, and this waits for them to end
   * (up to the {@link Builder#closeTimeout}). Calling it again does nothing.
   */
  @Override
  public void close() {
    Thread toJoin;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      for (Entry e : entries.values()) {
        if (e.control != null) {
          e.control.cancel();
        }
      }
      toJoin = loop;
      lock.notifyAll();
    }
    executor.shutdown();
    try {
      if (toJoin != null) {
        toJoin.join(closeTimeout.toMillis());
      }
      executor.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the scheduler is closed: make a new one");
    }
  }

  /** Builds a {@link FlowScheduler}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private int maxConcurrentRuns = 4;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private FlowRegistry registry;

    private Builder() {}

    /**
     * Runs the flows of a registry: before each look for due runs, the scheduler takes the
     * registry's enabled flows in their latest versions, and drops the flows disabled or deleted
     * there (a run under way finishes). The registry decides: a flow given to {@link
     * FlowScheduler#schedule} that the registry does not hold enabled is dropped at the next look.
     * Default: no registry; the flows given to {@code schedule} run.
     */
    public Builder registry(FlowRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry == null");
      return this;
    }

    /** The clock due times are read from. Defaults to the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** How many runs (of different flows) may go on at once. Default 4. */
    public Builder maxConcurrentRuns(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConcurrentRuns must be at least 1, was " + max);
      }
      this.maxConcurrentRuns = max;
      return this;
    }

    /** How long {@link FlowScheduler#close()} waits for cancelled runs to end. Default 30 s. */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /** Returns the scheduler; nothing runs until {@link #start()} or {@link #runDue()}. */
    public FlowScheduler build() {
      return new FlowScheduler(this);
    }
  }
}
