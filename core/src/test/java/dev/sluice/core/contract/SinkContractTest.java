package dev.sluice.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.Sink;
import dev.sluice.xdm.DataRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Sink} must keep, as one JUnit 5 suite: extend it, say how to open a
 * sink over your store and how to read the store's committed current state, and every test runs
 * against your sink. It ships in core's test jar ({@code <type>test-jar</type>}).
 *
 * <pre>{@code
 * class MySinkContractTest extends SinkContractTest {
 *   @TempDir Path dir;                      // or a database made fresh per test
 *   protected Sink openSink() { return new MySink(dir); }
 *   protected Map<String, DataRecord> currentState(String dataset) { return MyReader.read(dir, dataset); }
 * }
 * }</pre>
 *
 * <p>Sinks that {@linkplain Sink#storesCheckpoints() store checkpoints} also get the checkpoint
 * tests: checkpoints commit with the data, and only with it.
 *
 * <p>The current state is, per id, the last committed record, with deleted ids left out. A
 * "crash" is modelled by abandoning a sink with staged batches (see {@link #crash}) and opening a
 * new one over the same store.
 */
public abstract class SinkContractTest {
  private final List<Sink> opened = new ArrayList<>();

  /** Opens a new sink instance over the store of this test; each call must be a new instance. */
  protected abstract Sink openSink();

  /** Reads the committed current state of a dataset straight from the store: id to record. */
  protected abstract Map<String, DataRecord> currentState(String dataset);

  /**
   * What the process dying does to a sink with staged batches. The default does nothing (the sink
   * is just abandoned); a database sink closes its connection, which a dying process does too.
   */
  protected void crash(Sink sink) {}

  /** The record the store is expected to give back for one written; the default is the same. */
  protected DataRecord expectedStored(DataRecord written) {
    return written;
  }

  private Sink open() {
    Sink sink = openSink();
    opened.add(sink);
    return sink;
  }

  @AfterEach
  void closeSinks() {
    for (Sink sink : opened) {
      try {
        sink.close();
      } catch (RuntimeException ignored) {
        // Crashed sinks may refuse to close twice.
      }
    }
  }

  /** A record with every scalar kind a sink must keep exactly. */
  protected static DataRecord record(String id, long amount, String description) {
    return DataRecord.builder()
        .put("id", id)
        .put("amount", amount)
        .put("fee", new BigDecimal("12.50"))
        .put("paid", amount % 2 == 0)
        .put("description", description)
        .putNull("customer")
        .build();
  }

  protected static ChangeEnvelope upsert(String id, long amount, String description) {
    return ChangeEnvelope.upsert("charges", id, Instant.ofEpochSecond(1_700_000_000L),
        record(id, amount, description));
  }

  protected static ChangeEnvelope delete(String id) {
    return ChangeEnvelope.delete("charges", id, "charge", Instant.ofEpochSecond(1_800_000_000L));
  }

  private Map<String, DataRecord> expected(ChangeEnvelope... changes) {
    Map<String, DataRecord> state = new LinkedHashMap<>();
    for (ChangeEnvelope c : changes) {
      state.put(c.id(), expectedStored(c.record()));
    }
    return state;
  }

  @Test
  void aCommittedBatchIsVisibleWithExactValuesAndNothingBeforeCommit() {
    Sink sink = open();
    ChangeEnvelope a = upsert("ch_1", Long.MAX_VALUE - 1, "first ✓ \"quoted\"");
    ChangeEnvelope b = upsert("ch_2", 1099, "second");
    sink.write("charges", List.of(a, b));
    assertThat(currentState("charges")).as("before commit").isEmpty();
    sink.commit();
    assertThat(currentState("charges")).isEqualTo(expected(a, b));
  }

  @Test
  void abortDropsWhatWasStaged() {
    Sink sink = open();
    ChangeEnvelope a = upsert("ch_1", 1, "kept");
    sink.write("charges", List.of(a));
    sink.commit();
    sink.write("charges", List.of(upsert("ch_2", 2, "dropped"), upsert("ch_1", 3, "dropped")));
    sink.abort();
    sink.commit();
    assertThat(currentState("charges")).isEqualTo(expected(a));
  }

  @Test
  void anUpsertReplacesTheVersionWithTheSameId() {
    Sink sink = open();
    sink.write("charges", List.of(upsert("ch_1", 1, "old"), upsert("ch_2", 2, "other")));
    sink.commit();
    ChangeEnvelope newer = upsert("ch_1", 5, "new");
    sink.write("charges", List.of(newer));
    sink.commit();
    assertThat(currentState("charges")).hasSize(2).containsEntry("ch_1", expectedStored(newer.record()));
  }

  @Test
  void theLastVersionOfAnIdWithinOneBatchWins() {
    Sink sink = open();
    ChangeEnvelope last = upsert("ch_1", 3, "third");
    sink.write("charges", List.of(upsert("ch_1", 1, "first"), upsert("ch_1", 2, "second")));
    sink.write("charges", List.of(last));
    sink.commit();
    assertThat(currentState("charges")).isEqualTo(expected(last));
  }

  @Test
  void aDeleteRemovesTheIdFromTheCurrentState() {
    Sink sink = open();
    ChangeEnvelope kept = upsert("ch_2", 2, "kept");
    sink.write("charges", List.of(upsert("ch_1", 1, "gone"), kept));
    sink.commit();
    sink.write("charges", List.of(delete("ch_1"), delete("ch_never_seen")));
    sink.commit();
    assertThat(currentState("charges")).isEqualTo(expected(kept));

    ChangeEnvelope back = upsert("ch_1", 7, "recreated");
    sink.write("charges", List.of(back));
    sink.commit();
    assertThat(currentState("charges")).containsEntry("ch_1", expectedStored(back.record())).hasSize(2);
  }

  @Test
  void aBatchNotCommittedBeforeACrashIsNotVisible() {
    Sink first = open();
    ChangeEnvelope committed = upsert("ch_1", 1, "committed");
    first.write("charges", List.of(committed));
    first.commit();
    first.write("charges", List.of(upsert("ch_2", 2, "staged"), upsert("ch_1", 9, "staged")));
    crash(first);

    Sink second = open();
    assertThat(currentState("charges")).isEqualTo(expected(committed));
    ChangeEnvelope later = upsert("ch_3", 3, "later");
    second.write("charges", List.of(later));
    second.commit();
    assertThat(currentState("charges")).isEqualTo(expected(committed, later));
  }

  @Test
  void rewritingBatchesAfterACrashLeavesEachIdOnce() {
    List<ChangeEnvelope> batch1 = List.of(upsert("ch_1", 1, "a"), upsert("ch_2", 2, "b"));
    List<ChangeEnvelope> batch2 = List.of(upsert("ch_3", 3, "c"), delete("ch_1"));
    Sink first = open();
    first.write("charges", batch1);
    first.commit();
    // The checkpoint did not move after batch1's commit; batch2 is staged when the process dies.
    first.write("charges", batch2);
    crash(first);

    Sink second = open();
    second.write("charges", batch1);
    second.commit();
    second.write("charges", batch2);
    second.commit();
    second.write("charges", batch2);
    second.commit();
    assertThat(currentState("charges")).isEqualTo(expected(batch1.get(1), batch2.get(0)));
  }

  @Test
  void datasetsAreKeptApart() {
    Sink sink = open();
    ChangeEnvelope charge = upsert("x_1", 1, "charge");
    ChangeEnvelope refund = ChangeEnvelope.upsert("refunds", "x_1", Instant.EPOCH, record("x_1", 2, "refund"));
    sink.write("charges", List.of(charge));
    sink.write("refunds", List.of(refund));
    sink.commit();
    assertThat(currentState("charges")).isEqualTo(expected(charge));
    assertThat(currentState("refunds")).isEqualTo(expected(refund));
  }

  @Test
  void currentIdsWhenListedAreTheIdsOfTheCurrentState() {
    Sink sink = open();
    sink.write("charges", List.of(upsert("ch_1", 1, "a"), upsert("ch_2", 2, "b"), upsert("ch_3", 3, "c")));
    sink.commit();
    sink.write("charges", List.of(delete("ch_2")));
    sink.commit();
    sink.write("charges", List.of(upsert("ch_4", 4, "staged only")));
    Optional<Set<String>> ids = sink.currentIds("charges");
    ids.ifPresent(set -> assertThat(set).containsExactlyInAnyOrder("ch_1", "ch_3"));
    assertThat(currentState("charges").keySet()).containsExactlyInAnyOrder("ch_1", "ch_3");
  }

  @Test
  void checkpointsCommitWithTheDataAndAreReadBackByANewSink() {
    Sink first = open();
    if (!storesCheckpoints(first)) {
      return;
    }
    assertThat(first.checkpoint("charges")).as("nothing committed yet").isEmpty();
    ChangeEnvelope a = upsert("ch_1", 1, "a");
    first.write("charges", List.of(a));
    first.stageCheckpoints(Map.of("charges", "{\"offset\":1}", "charges.drift", "{}"));
    assertThat(open().checkpoint("charges")).as("staged, not committed").isEmpty();
    first.commit();

    Sink second = open();
    assertThat(second.checkpoint("charges")).contains("{\"offset\":1}");
    assertThat(second.checkpoint("charges.drift")).contains("{}");
    assertThat(second.checkpoint("refunds")).isEmpty();
    assertThat(currentState("charges")).isEqualTo(expected(a));
  }

  @Test
  void aCrashBeforeTheCommitKeepsTheOldCheckpointAndDropsTheBatch() {
    Sink first = open();
    if (!storesCheckpoints(first)) {
      return;
    }
    ChangeEnvelope a = upsert("ch_1", 1, "a");
    first.write("charges", List.of(a));
    first.stageCheckpoints(Map.of("charges", "1"));
    first.commit();
    first.write("charges", List.of(upsert("ch_2", 2, "staged")));
    first.stageCheckpoints(Map.of("charges", "2"));
    crash(first);

    Sink second = open();
    assertThat(second.checkpoint("charges")).contains("1");
    assertThat(currentState("charges")).isEqualTo(expected(a));
  }

  @Test
  void aCommitWithoutRecordsStillMovesTheCheckpointAndAbortDropsIt() {
    Sink sink = open();
    if (!storesCheckpoints(sink)) {
      return;
    }
    sink.write("charges", List.of(upsert("ch_1", 1, "a")));
    sink.stageCheckpoints(Map.of("charges", "1", "other", "x"));
    sink.commit();
    sink.write("charges", List.of());
    sink.stageCheckpoints(Map.of("charges", "2"));
    sink.commit();
    sink.stageCheckpoints(Map.of("charges", "3"));
    sink.abort();
    sink.commit();

    Sink reopened = open();
    assertThat(reopened.checkpoint("charges")).contains("2");
    assertThat(reopened.checkpoint("other")).as("a key not staged again keeps its text").contains("x");
    assertThat(currentState("charges")).hasSize(1);
  }

  /**
   * Whether the sink stores checkpoints; a sink that does not must say so consistently (nothing
   * read back, staging refused), which is checked here instead of skipping the test.
   */
  private boolean storesCheckpoints(Sink sink) {
    if (sink.storesCheckpoints()) {
      return true;
    }
    assertThat(sink.checkpoint("charges")).isEmpty();
    assertThatThrownBy(() -> sink.stageCheckpoints(Map.of("charges", "1")))
        .isInstanceOf(UnsupportedOperationException.class);
    return false;
  }
}
