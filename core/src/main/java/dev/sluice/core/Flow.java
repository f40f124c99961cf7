package dev.sluice.core;

import dev.sluice.core.internal.DriftState;
import dev.sluice.xdm.mapping.Mapping;
import dev.sluice.xdm.mapping.MappingError;
import dev.sluice.xdm.mapping.MappingResult;
import dev.sluice.xdm.DataRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source, a mapping and a sink, joined: runs read the source's changes from the last checkpoint,
 * map each record, write them to the sink, and move the checkpoint once the sink committed them.
 *
 * <pre>{@code
 * Flow flow = Flow.builder()
 *     .source(stripe.source("charges"))
 *     .mapping(MappingSet.fromJson(json).compile("acme"))
 *     .into(Sinks.jsonLines(Path.of("lake")))
 *     .stateStore(StateStores.directory(Path.of("lake/.sluice/state")))
 *     .build();
 * FlowRun run = flow.runOnce();
 * }</pre>
 *
 * <p>A flow is immutable and validated by {@link Builder#build()}; derive a changed copy with
 * {@link #newBuilder()}. Never run one flow twice at the same time: both runs would move the same
 * checkpoint.
 *
 * <p><b>Delivery.</b> Records are committed to the sink in batches of {@link #batchSize()} or
 * fewer, each with the checkpoint that resumes after it. Into a sink that {@linkplain
 * Sink#storesCheckpoints stores checkpoints} (JSON Lines, Parquet, JDBC) the checkpoint commits in
 * the same commit as the batch, and a run starts from the checkpoint the sink holds (from the
 * {@link StateStore} when the sink holds none yet for this flow, as on the first run after an
 * upgrade): a crash at any point loses nothing and writes nothing twice. The state store still
 * gets a copy of each checkpoint after the commit. Into any other sink the checkpoint is saved in
 * the state store only after its records were committed, so a run that crashes is finished by the
 * next run without losing a record, and records of a batch committed just before the crash are
 * written again, which is why sinks upsert by id. A page without records still moves the
 * checkpoint.
 *
 * <p><b>Drift.</b> Beside its checkpoint, under the key {@code <id>}{@value #DRIFT_SUFFIX} (in the
 * same commit, and mirrored to the state store likewise), a flow keeps the fields its source's
 * records had (top level and one level down, the keys of {@code metadata} left out) with their JSON
 * types, and the API version the data was read at ({@link ChangeSource.Page#apiVersion()}). Each
 * run reports the fields that are new and those whose type changed in {@link
 * FlowRun#schemaChanges()}, and a changed API version in {@link FlowRun#apiVersionChanged()}. The
 * source's checkpoint text is stored unchanged.
 *
 * <p><b>Rejected records.</b> Records the mapping rejects are kept, with their errors, as {@link
 * RowError}s in the flow's {@link #runHistory()}; the others land. A run whose share of rejected
 * records goes above {@link Builder#maxFailedPercent} fails (checked at each commit, on the
 * records read so far; the batch in hand is not committed).
 *
 * <p><b>Full refresh.</b> {@link #runFullRefresh()} re-reads the source from scratch and then
 * deletes from the sink the ids it holds that the source no longer returned.
 *
 * <p><b>Scheduling.</b> A flow carries its {@link Schedule}; a {@link FlowScheduler} runs it.
 */
public final class Flow {
  private static final Logger LOG = LoggerFactory.getLogger(Flow.class);
  private static final int MAX_RECORD_ERRORS = 100;

  /** Appended to a flow's id to make the key its drift state is kept under. */
  public static final String DRIFT_SUFFIX = ".drift";

  private final String id;
  private final String name;
  private final String description;
  private final ChangeSource source;
  private final Mapping mapping;
  private final Sink sink;
  private final StateStore stateStore;
  private final FlowListener listener;
  private final int batchSize;
  private final Schedule schedule;
  private final double maxFailedPercent;
  private final RunHistory runHistory;
  private final boolean fullRefresh;
  private final Clock clock;

  private Flow(Builder b) {
    this.source = b.source;
    this.id = b.id != null ? b.id : b.source.dataset();
    this.name = b.name != null ? b.name : this.id;
    this.description = b.description;
    this.mapping = b.mapping;
    this.sink = b.sink;
    this.stateStore = b.stateStore;
    this.listener = b.listener;
    this.batchSize = b.batchSize;
    this.schedule = b.schedule;
    this.maxFailedPercent = b.maxFailedPercent;
    this.runHistory = b.runHistory != null ? b.runHistory : RunHistories.inMemory();
    this.fullRefresh = b.fullRefresh;
    this.clock = b.clock;
  }

  /** Returns a builder for a new flow. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this flow's settings, to derive a changed copy. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** The flow's id, which keys its checkpoint; defaults to the source's dataset name. */
  public String id() {
    return id;
  }

  /** The flow's name; defaults to its id. */
  public String name() {
    return name;
  }

  /** The flow's description, or {@code null}. */
  public String description() {
    return description;
  }

  /** Where the records come from. */
  public ChangeSource source() {
    return source;
  }

  /** What is done to each record. */
  public Mapping mapping() {
    return mapping;
  }

  /** Where the records go. */
  public Sink sink() {
    return sink;
  }

  /** Where checkpoints are kept. */
  public StateStore stateStore() {
    return stateStore;
  }

  /** The most records committed in one batch. */
  public int batchSize() {
    return batchSize;
  }

  /** The listener hearing about runs. */
  public FlowListener listener() {
    return listener;
  }

  /** When the flow runs; {@link Schedule#once()} unless set. */
  public Schedule schedule() {
    return schedule;
  }

  /** The share of rejected records, in percent, above which a run fails; 100 by default. */
  public double maxFailedPercent() {
    return maxFailedPercent;
  }

  /** Where runs and their row errors are recorded. */
  public RunHistory runHistory() {
    return runHistory;
  }

  /** Whether every run of this flow is a full refresh. */
  public boolean fullRefresh() {
    return fullRefresh;
  }

  /**
   * Runs the flow once, from the last checkpoint to what the source has now, on the calling thread
   * (a full refresh if the flow was built with {@link Builder#fullRefresh(boolean)}). Never throws
   * for a failure of the source, the mapping or the sink: the returned run says what happened,
   * with status {@link RunStatus#FAILED} and the reason in its errors.
   */
  public FlowRun runOnce() {
    return execute(RunControl.NONE, fullRefresh);
  }

  /**
   * Runs a full refresh on the calling thread: the source is read from the beginning whatever the
   * checkpoint says, and once every page is committed, each id the sink holds for the dataset but
   * the source did not return is deleted. The saved checkpoint is replaced at the first commit,
   * so a full refresh that fails early leaves the previous one in place. The ids are held in
   * memory for the run (one string per id in the sink).
   *
   * <p>The run fails at once, before reading, if the sink cannot list its ids ({@link
   * Sink#currentIds} empty).
   */
  public FlowRun runFullRefresh() {
    return execute(RunControl.NONE, true);
  }

  /**
   * Like {@link #runOnce()}, and {@code control} can stop the run from another thread: at the next
   * page it commits what it wrote, saves the checkpoint and ends {@link RunStatus#CANCELLED}.
   */
  public FlowRun runOnce(RunControl control) {
    return execute(Objects.requireNonNull(control, "control == null"), fullRefresh);
  }

  /** Like {@link #runFullRefresh()}, stoppable through {@code control} as {@link #runOnce(RunControl)} says. */
  public FlowRun runFullRefresh(RunControl control) {
    return execute(Objects.requireNonNull(control, "control == null"), true);
  }

  FlowRun execute(RunControl control, boolean refresh) {
    return new Run(control, refresh).execute();
  }

  @Override
  public String toString() {
    return "Flow{id=" + id + ", source=" + source + ", sink=" + sink + "}";
  }

  /** The state of one run. */
  private final class Run {
    final String runId = UUID.randomUUID().toString();
    final Instant startedAt = clock.instant();
    final List<RunError> errors = new ArrayList<>();
    final RunControl control;
    boolean refresh;
    boolean deletionsUnapplied;
    final long sinkBytesAtStart = sink.bytesWritten();
    final Instant skipBefore =
        schedule.isRecurring() && !schedule.backfill() ? schedule.startTime() : null;
    Set<String> notSeen;
    long read;
    long written;
    long failed;
    long skipped;
    long deleted;
    long pages;
    long requests;
    long retries;
    long bytes;
    long uncommitted;
    Instant windowStart;
    Instant windowEnd;
    String pendingCheckpoint;
    boolean checkpointPending;
    int recordErrors;
    final boolean inSink = sink.storesCheckpoints();
    final String driftKey = id + DRIFT_SUFFIX;
    DriftState drift;
    String apiVersionBefore;
    String apiVersion;
    /** The drift text the sink holds, and the one the state store holds. */
    String committedDrift;
    String mirroredDrift;

    Run(RunControl control, boolean refresh) {
      this.control = control;
      this.refresh = refresh;
    }

    FlowRun execute() {
      record(RunStatus.RUNNING, null);
      notify(l -> l.runStarted(Flow.this, runId));
      RunStatus status;
      try {
        String checkpoint = null;
        boolean sourceAsked = false;
        loadDrift();
        if (!refresh) {
          checkpoint = loadCheckpoint();
          if (checkpoint != null && source.needsFullRefresh(checkpoint)) {
            LOG.warn("Flow {}: the source {} can no longer read changes from its checkpoint;"
                + " this run re-reads it in full and deletes what it no longer has", id, source);
            refresh = true;
            sourceAsked = true;
            checkpoint = null;
          }
        }
        if (refresh) {
          Optional<Set<String>> ids = sink.currentIds(source.dataset());
          if (ids.isEmpty() && !sourceAsked) {
            throw new FlowDefinitionException(List.of("fullRefresh: the sink " + sink
                + " cannot list the ids it holds, so a full refresh cannot remove what the source"
                + " no longer has: use a sink that lists ids (Sinks.jsonLines, Sinks.inMemory,"
                + " the JDBC sink) or run without a full refresh"));
          }
          notSeen = ids.orElse(null);
          deletionsUnapplied = ids.isEmpty();
        }
        source.read(checkpoint, this::onPage);
        commit();
        checkCancelled();
        if (notSeen != null) {
          deleteNotSeen();
        }
        if (deletionsUnapplied) {
          errors.add(new RunError("DELETIONS_NOT_APPLIED", "The source could no longer read changes"
              + " from its checkpoint, so this run re-read " + source.dataset() + " in full; the"
              + " sink " + sink + " cannot list the ids it holds, so objects deleted at the source"
              + " in the meantime were not deleted from it: use a sink that lists ids, or remove"
              + " them by hand", null));
        }
        status = failed > 0 || deletionsUnapplied ? RunStatus.PARTIAL_SUCCESS : RunStatus.SUCCESS;
      } catch (Cancelled e) {
        sink.abort();
        errors.add(0, new RunError("CANCELLED", "The run was cancelled; what it committed before"
            + " stays committed", null));
        status = RunStatus.CANCELLED;
      } catch (RuntimeException e) {
        sink.abort();
        errors.add(0, new RunError(codeOf(e), messageOf(e), null));
        status = RunStatus.FAILED;
      }
      FlowRun result = record(status, clock.instant());
      if (status == RunStatus.FAILED) {
        notify(l -> l.runFailed(Flow.this, result));
      } else if (result.succeeded()) {
        notify(l -> l.runSucceeded(Flow.this, result));
      }
      notify(l -> l.runEnded(Flow.this, result));
      return result;
    }

    /**
     * The checkpoint the sink committed, else the one the state store holds, else null; an empty
     * committed checkpoint means "start from scratch".
     */
    String loadCheckpoint() {
      if (inSink) {
        Optional<String> committed = sink.checkpoint(id);
        if (committed.isPresent()) {
          // An empty checkpoint was committed to forget the flow's place (a state reset).
          return committed.get().isEmpty() ? null : committed.get();
        }
      }
      return stateStore.load(id).orElse(null);
    }

    void loadDrift() {
      mirroredDrift = stateStore.load(driftKey).orElse(null);
      committedDrift = inSink ? sink.checkpoint(driftKey).orElse(null) : null;
      String text = committedDrift != null ? committedDrift : mirroredDrift;
      drift = DriftState.empty(source.dataset());
      if (text != null) {
        try {
          drift = DriftState.fromJson(source.dataset(), text);
        } catch (IllegalArgumentException e) {
          LOG.warn("Flow {}: the drift state kept under key '{}' ({}) cannot be read: {}; this run"
              + " learns the fields again and reports no schema change", id, driftKey,
              committedDrift != null ? sink : stateStore, e.getMessage());
        }
      }
      apiVersionBefore = drift.apiVersion();
    }

    FlowRun record(RunStatus status, Instant endedAt) {
      long sinkBytes = sink.bytesWritten();
      FlowRun run = new FlowRun(runId, id, source.dataset(), status, startedAt, endedAt, read,
          written, failed, pages, requests, bytes, errors, skipped, deleted,
          sinkBytes < 0 || sinkBytesAtStart < 0 ? -1 : sinkBytes - sinkBytesAtStart, retries,
          windowStart, windowEnd, refresh, drift == null ? List.of() : drift.changes(), apiVersion,
          apiVersionBefore);
      try {
        runHistory.record(run);
      } catch (RuntimeException e) {
        LOG.warn("Cannot record run {} of flow {} in {}: {}", runId, id, runHistory, e.toString());
      }
      return run;
    }

    void notify(java.util.function.Consumer<FlowListener> call) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        LOG.warn("Listener {} of flow {} threw; ignored", listener, id, e);
      }
    }

    void checkCancelled() {
      if (control.isCancelled()) {
        throw new Cancelled();
      }
    }

    void onPage(ChangeSource.Page page) {
      if (control.isCancelled()) {
        commit(); // what was written before the cancel lands with its checkpoint
        throw new Cancelled();
      }
      pages++;
      requests += page.requests();
      retries += page.retries();
      bytes += page.bytes();
      read += page.changes().size();
      if (page.apiVersion() != null) {
        apiVersion = page.apiVersion();
        drift.readAt(apiVersion);
      }
      Instant seenAt = clock.instant();
      List<ChangeEnvelope> out = new ArrayList<>(page.changes().size());
      List<RowError> rowErrors = new ArrayList<>();
      for (ChangeEnvelope change : page.changes()) {
        if (notSeen != null) {
          notSeen.remove(change.id());
        }
        Instant at = change.changedAt();
        if (windowStart == null || at.isBefore(windowStart)) {
          windowStart = at;
        }
        if (windowEnd == null || at.isAfter(windowEnd)) {
          windowEnd = at;
        }
        if (change.operation() == ChangeEnvelope.Operation.DELETE) {
          out.add(change);
          continue;
        }
        drift.observe(change.record(), seenAt);
        if (skipBefore != null && at.isBefore(skipBefore)) {
          skipped++;
          continue;
        }
        MappingResult result = mapping.apply(change.record());
        List<RunError> recordErrors = new ArrayList<>();
        for (MappingError error : result.errors()) {
          RunError runError = new RunError(error.code(), error.toString(), change.id());
          recordErrors.add(runError);
          if (this.recordErrors++ < MAX_RECORD_ERRORS) {
            errors.add(runError);
          }
        }
        if (result.isRejected()) {
          failed++;
          rowErrors.add(new RowError(change.id(), change.record(), recordErrors));
        } else {
          out.add(change.withRecord(result.record()));
        }
      }
      if (!rowErrors.isEmpty()) {
        runHistory.recordRowErrors(id, runId, rowErrors);
      }
      sink.write(source.dataset(), out);
      uncommitted += out.size();
      pendingCheckpoint = page.checkpoint();
      checkpointPending = true;
      if (uncommitted >= batchSize) {
        commit();
      }
      notify(l -> l.pageRead(Flow.this, runId, read, pages));
    }

    void commit() {
      if (!checkpointPending) {
        return;
      }
      long considered = read - skipped;
      if (failed > 0 && considered > 0 && failed * 100.0 / considered > maxFailedPercent) {
        throw new ThresholdExceeded(failed, considered, maxFailedPercent);
      }
      String driftText = drift.toJson();
      if (inSink) {
        Map<String, String> checkpoints = new LinkedHashMap<>();
        if (pendingCheckpoint != null) {
          checkpoints.put(id, pendingCheckpoint);
        }
        if (!driftText.equals(committedDrift)) {
          checkpoints.put(driftKey, driftText);
        }
        if (!checkpoints.isEmpty()) {
          sink.stageCheckpoints(checkpoints);
        }
      }
      sink.commit();
      if (inSink) {
        committedDrift = driftText;
      }
      written += uncommitted;
      uncommitted = 0;
      if (pendingCheckpoint != null) {
        stateStore.save(id, pendingCheckpoint);
      }
      if (!driftText.equals(mirroredDrift)) {
        stateStore.save(driftKey, driftText);
        mirroredDrift = driftText;
      }
      checkpointPending = false;
      notify(l -> l.progress(Flow.this, runId, read, written));
    }

    void deleteNotSeen() {
      List<ChangeEnvelope> batch = new ArrayList<>();
      Instant now = clock.instant();
      for (String gone : notSeen) {
        DataRecord record = DataRecord.builder().put("id", gone).put("deleted", true).build();
        batch.add(new ChangeEnvelope(source.dataset(), gone, ChangeEnvelope.Operation.DELETE, now, record));
        if (batch.size() >= batchSize) {
          flushDeletes(batch);
        }
      }
      flushDeletes(batch);
    }

    void flushDeletes(List<ChangeEnvelope> batch) {
      if (batch.isEmpty()) {
        return;
      }
      checkCancelled();
      sink.write(source.dataset(), batch);
      sink.commit();
      deleted += batch.size();
      written += batch.size();
      batch.clear();
      notify(l -> l.progress(Flow.this, runId, read, written));
    }
  }

  /** Thrown inside a run when it was cancelled. */
  private static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super(null, null, false, false);
    }
  }

  /** The share of rejected records went above the flow's threshold. */
  private static final class ThresholdExceeded extends SluiceException {
    private static final long serialVersionUID = 1L;

    ThresholdExceeded(long failed, long considered, double max) {
      super(String.format(java.util.Locale.ROOT, "%d of %d records (%.2f%%) were rejected by the"
          + " mapping, above the flow's maxFailedPercent of %s%%: fix the mapping or the data (see"
          + " the run's row errors), or raise maxFailedPercent", failed, considered,
          failed * 100.0 / considered, max));
    }

    @Override
    public String code() {
      return "ERROR_THRESHOLD_EXCEEDED";
    }
  }

  private static String codeOf(RuntimeException e) {
    return e instanceof SluiceException ? ((SluiceException) e).code() : "INTERNAL_ERROR";
  }

  private static String messageOf(RuntimeException e) {
    String message = e.getMessage();
    if (e instanceof SluiceException && message != null) {
      return message;
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /**
   * Builds a {@link Flow}. Setters check their own argument; {@link #build()} checks the whole.
   */
  public static final class Builder {
    private String id;
    private String name;
    private String description;
    private ChangeSource source;
    private Mapping mapping = Mapping.identity();
    private Sink sink;
    private StateStore stateStore = StateStores.inMemory();
    private FlowListener listener = FlowListener.NONE;
    private int batchSize = 10_000;
    private Schedule schedule = Schedule.once();
    private double maxFailedPercent = 100;
    private RunHistory runHistory;
    private boolean fullRefresh;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    private Builder(Flow flow) {
      id = flow.id;
      name = flow.name;
      description = flow.description;
      source = flow.source;
      mapping = flow.mapping;
      sink = flow.sink;
      stateStore = flow.stateStore;
      listener = flow.listener;
      batchSize = flow.batchSize;
      schedule = flow.schedule;
      maxFailedPercent = flow.maxFailedPercent;
      runHistory = flow.runHistory;
      fullRefresh = flow.fullRefresh;
      clock = flow.clock;
    }

    /** The flow's id, which keys its checkpoint. Defaults to the source's dataset name. */
    public Builder id(String id) {
      this.id = requireText(id, "id");
      return this;
    }

    /** A display name. Defaults to the id. */
    public Builder name(String name) {
      this.name = requireText(name, "name");
      return this;
    }

    /** A description, or {@code null}. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Where the records come from. Required. */
    public Builder source(ChangeSource source) {
      this.source = Objects.requireNonNull(source, "source == null");
      return this;
    }

    /** What is done to each record. Defaults to {@link Mapping#identity()}. */
    public Builder mapping(Mapping mapping) {
      this.mapping = Objects.requireNonNull(mapping, "mapping == null");
      return this;
    }

    /** Where the records go. Required. */
    public Builder into(Sink sink) {
      this.sink = Objects.requireNonNull(sink, "sink == null");
      return this;
    }

    /** Where checkpoints are kept. Defaults to {@link StateStores#inMemory()}. */
    public Builder stateStore(StateStore stateStore) {
      this.stateStore = Objects.requireNonNull(stateStore, "stateStore == null");
      return this;
    }

    /** Who hears about runs. Defaults to {@link FlowListener#NONE}. */
    public Builder listener(FlowListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener == null");
      return this;
    }

    /** The most records committed in one batch (one file, for file sinks). Default 10,000. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** When the flow runs (for a {@link FlowScheduler}). Defaults to {@link Schedule#once()}. */
    public Builder schedule(Schedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule == null");
      return this;
    }

    /**
     * Partial ingestion: the share of rejected records, in percent of the records read, above
     * which a run fails. Below it, good records land and rejected ones are kept as row errors.
     * 0 fails a run on the first rejected record; the default, 100, never fails a run for them.
     */
    public Builder maxFailedPercent(double percent) {
      if (!(percent >= 0 && percent <= 100)) {
        throw new IllegalArgumentException(
            "maxFailedPercent must be between 0 and 100, was " + percent);
      }
      this.maxFailedPercent = percent;
      return this;
    }

    /** Where runs and row errors are recorded. Defaults to a new {@link RunHistories#inMemory()}. */
    public Builder runHistory(RunHistory runHistory) {
      this.runHistory = Objects.requireNonNull(runHistory, "runHistory == null");
      return this;
    }

    /** Whether every run is a full refresh (see {@link Flow#runFullRefresh()}). Default false. */
    public Builder fullRefresh(boolean fullRefresh) {
      this.fullRefresh = fullRefresh;
      return this;
    }

    /** The clock runs are timed with. Defaults to the system clock in UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Returns the flow.
     *
     * @throws FlowDefinitionException listing every missing or inconsistent setting
     */
    public Flow build() {
      List<String> problems = new ArrayList<>();
      if (source == null) {
        problems.add("source is not set: call source(...) with the connection's source(\"charges\")");
      }
      if (sink == null) {
        problems.add("sink is not set: call into(...), for example into(Sinks.jsonLines(path))");
      }
      if (fullRefresh && !schedule.backfill() && schedule.isRecurring()
          && schedule.startTime() != null) {
        problems.add("fullRefresh: a full refresh reads everything, but the schedule has backfill"
            + " off: turn backfill on or fullRefresh off");
      }
      if (!problems.isEmpty()) {
        throw new FlowDefinitionException(problems);
      }
      return new Flow(this);
    }

    private static String requireText(String value, String what) {
      Objects.requireNonNull(value, what + " == null");
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " is blank");
      }
      return value;
    }
  }
}
