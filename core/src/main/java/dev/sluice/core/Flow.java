package dev.sluice.core;

import dev.sluice.xdm.mapping.Mapping;
import dev.sluice.xdm.mapping.MappingError;
import dev.sluice.xdm.mapping.MappingResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

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
 * fewer; a checkpoint is saved only after its records were committed, so a run that crashes is
 * finished by the next run without losing a record. Records of a batch whose commit did not happen
 * may be written again by the next run, which is why sinks upsert by id.
 */
public final class Flow {
  private static final int MAX_RECORD_ERRORS = 100;

  private final String id;
  private final String name;
  private final String description;
  private final ChangeSource source;
  private final Mapping mapping;
  private final Sink sink;
  private final StateStore stateStore;
  private final FlowListener listener;
  private final int batchSize;

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

  /**
   * Runs the flow once, from the last checkpoint to what the source has now, on the calling thread.
   * Never throws for a failure of the source, the mapping or the sink: the returned run says what
   * happened, with status {@link RunStatus#FAILED} and the reason in its errors.
   */
  public FlowRun runOnce() {
    Run run = new Run();
    return run.execute();
  }

  @Override
  public String toString() {
    return "Flow{id=" + id + ", source=" + source + ", sink=" + sink + "}";
  }

  /** The state of one run. */
  private final class Run {
    final String runId = UUID.randomUUID().toString();
    final Instant startedAt = Instant.now();
    final List<RunError> errors = new ArrayList<>();
    long read;
    long written;
    long failed;
    long pages;
    long requests;
    long bytes;
    long uncommitted;
    String pendingCheckpoint;
    boolean checkpointPending;
    int recordErrors;

    FlowRun execute() {
      listener.runStarted(Flow.this, runId);
      RunStatus status;
      try {
        String checkpoint = stateStore.load(id).orElse(null);
        source.read(checkpoint, this::onPage);
        commit();
        status = failed > 0 ? RunStatus.PARTIAL_SUCCESS : RunStatus.SUCCESS;
      } catch (RuntimeException e) {
        sink.abort();
        errors.add(0, new RunError(codeOf(e), messageOf(e), null));
        status = RunStatus.FAILED;
      }
      FlowRun result =
          new FlowRun(runId, id, source.dataset(), status, startedAt, Instant.now(), read, written,
              failed, pages, requests, bytes, errors);
      listener.runEnded(Flow.this, result);
      return result;
    }

    void onPage(ChangeSource.Page page) {
      pages++;
      requests += page.requests();
      bytes += page.bytes();
      read += page.changes().size();
      List<ChangeEnvelope> out = new ArrayList<>(page.changes().size());
      for (ChangeEnvelope change : page.changes()) {
        if (change.operation() == ChangeEnvelope.Operation.DELETE) {
          out.add(change);
          continue;
        }
        MappingResult result = mapping.apply(change.record());
        if (result.isRejected()) {
          failed++;
        } else {
          out.add(change.withRecord(result.record()));
        }
        for (MappingError error : result.errors()) {
          if (recordErrors++ < MAX_RECORD_ERRORS) {
            errors.add(new RunError(error.code(), error.toString(), change.id()));
          }
        }
      }
      sink.write(source.dataset(), out);
      uncommitted += out.size();
      pendingCheckpoint = page.checkpoint();
      checkpointPending = true;
      if (uncommitted >= batchSize) {
        commit();
      }
    }

    void commit() {
      if (!checkpointPending) {
        return;
      }
      sink.commit();
      written += uncommitted;
      uncommitted = 0;
      if (pendingCheckpoint != null) {
        stateStore.save(id, pendingCheckpoint);
      }
      checkpointPending = false;
      listener.progress(Flow.this, runId, read, written);
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
