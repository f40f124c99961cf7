package dev.sluice.core;

import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A sink that keeps each dataset's current state in memory: for tests of flows and mappings, and
 * for small in-process pipelines. Get one from {@link Sinks#inMemory()}.
 *
 * <pre>{@code
 * InMemorySink sink = Sinks.inMemory();
 * Flow.builder().source(source).into(sink).build().runOnce();
 * assertThat(sink.currentState("charges")).containsKey("ch_1");
 * }</pre>
 *
 * <p>Upserts replace by id, deletes remove; nothing written is visible before {@link #commit()}.
 * {@link #reopen()} gives a new sink over the same committed state with nothing staged, as a
 * restarted process would see it. Thread-safe: a test may read the state while a flow writes.
 */
public final class InMemorySink implements Sink {
  private final Store store;
  private final List<Staged> staged = new ArrayList<>();

  InMemorySink() {
    this(new Store());
  }

  private InMemorySink(Store store) {
    this.store = store;
  }

  /** A new sink over the same committed state, with nothing staged: a restart, in tests. */
  public InMemorySink reopen() {
    return new InMemorySink(store);
  }

  @Override
  public synchronized void write(String dataset, List<ChangeEnvelope> changes) {
    Objects.requireNonNull(dataset, "dataset == null");
    staged.add(new Staged(dataset, List.copyOf(changes)));
  }

  @Override
  public void commit() {
    List<Staged> batches;
    synchronized (this) {
      batches = new ArrayList<>(staged);
      staged.clear();
    }
    synchronized (store) {
      for (Staged batch : batches) {
        Map<String, DataRecord> state =
            store.datasets.computeIfAbsent(batch.dataset, d -> new LinkedHashMap<>());
        for (ChangeEnvelope change : batch.changes) {
          if (change.operation() == ChangeEnvelope.Operation.DELETE) {
            state.remove(change.id());
          } else {
            state.put(change.id(), change.record());
          }
        }
      }
    }
  }

  @Override
  public synchronized void abort() {
    staged.clear();
  }

  /**
   * A snapshot of a dataset's committed current state: id to last committed record, in the order
   * ids were first committed. Empty for a dataset never written.
   */
  public Map<String, DataRecord> currentState(String dataset) {
    synchronized (store) {
      Map<String, DataRecord> state = store.datasets.get(dataset);
      return state == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(state));
    }
  }

  /** The datasets that were ever committed to, in first-commit order. */
  public Set<String> datasets() {
    synchronized (store) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(store.datasets.keySet()));
    }
  }

  @Override
  public Optional<Set<String>> currentIds(String dataset) {
    return Optional.of(new LinkedHashSet<>(currentState(dataset).keySet()));
  }

  @Override
  public void close() {
    abort();
  }

  @Override
  public String toString() {
    return "Sinks.inMemory()";
  }

  private static final class Store {
    final Map<String, Map<String, DataRecord>> datasets = new LinkedHashMap<>();
  }

  private record Staged(String dataset, List<ChangeEnvelope> changes) {}
}
