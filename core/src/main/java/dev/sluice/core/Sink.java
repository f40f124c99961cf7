package dev.sluice.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a flow lands its records: a dataset per resource in a store the host application owns.
 *
 * <p><b>Write, then commit.</b> A flow hands the sink batches with {@link #write}; the records of
 * a batch need not be visible or durable until {@link #commit} returns. When {@code commit}
 * returns, everything written since the previous commit must be durable and visible, all of it.
 * A caller moves its checkpoint only after {@code commit} returned, so (unless the sink {@linkplain
 * #storesCheckpoints stores the checkpoint in the commit}) a crash between the two makes the caller
 * write the same records again: sinks therefore apply an {@link
 * ChangeEnvelope.Operation#UPSERT} as "insert or replace by id" where they can, and must never
 * expose a half-written batch. {@link #abort} drops what was written since the last commit.
 *
 * <p><b>Current state.</b> A dataset's <em>current state</em> is, for each id, the last version
 * committed for it, with ids whose last committed change is a {@link
 * ChangeEnvelope.Operation#DELETE} left out. Every built-in sink passes one contract test suite
 * (core's test jar, {@code dev.sluice.core.contract.SinkContractTest}); run it against your own
 * sink too.
 *
 * <p><b>Checkpoints in the commit.</b> A sink may keep checkpoints itself, in the same commit as
 * the data ({@link #storesCheckpoints()}): a flow then {@linkplain #stageCheckpoints stages} its
 * checkpoint before each {@link #commit}, and at the start of a run reads it back with {@link
 * #checkpoint}, so a crash can never separate a batch from the checkpoint after it and no batch is
 * written twice. The built-in JSON Lines, Parquet and JDBC sinks do; a sink that does not is
 * used as before (the flow's {@link StateStore} keeps the checkpoint, saved after the commit).
 *
 * <p><b>Threading.</b> A flow calls one sink from one thread at a time; a sink need not be
 * thread-safe unless it is shared between flows, in which case it says so.
 *
 * <p>This SPI grows by default methods only; implementations written today keep compiling.
 */
public interface Sink extends AutoCloseable {

  /**
   * Stages a batch of changes for one dataset (the resource name, such as {@code "charges"}).
   *
   * @throws SinkException if the batch cannot be staged; nothing of it becomes visible
   */
  void write(String dataset, List<ChangeEnvelope> changes);

  /**
   * Makes everything written since the last commit durable and visible, atomically per batch.
   *
   * @throws SinkException if that fails; the caller must not move its checkpoint
   */
  void commit();

  /** Drops everything written since the last commit. The default does nothing. */
  default void abort() {}

  /**
   * The ids in a dataset's committed current state, read now; a full refresh uses them to find
   * what the source no longer has. The default answers {@link Optional#empty()}: this sink cannot
   * list its ids, and flows refuse a full refresh into it.
   *
   * @throws SinkException if the sink can list ids but reading them failed
   */
  default Optional<Set<String>> currentIds(String dataset) {
    return Optional.empty();
  }

  /**
   * How many bytes this sink has written since it was created, for run reports; {@code -1} (the
   * default) when it does not count them.
   */
  default long bytesWritten() {
    return -1;
  }

  /**
   * Whether this sink stores checkpoints in its commits ({@link #stageCheckpoints}, {@link
   * #checkpoint}). The default says no.
   */
  default boolean storesCheckpoints() {
    return false;
  }

  /**
   * Stages checkpoints, checkpoint key to text (a flow's id to its source's checkpoint, say), to be
   * committed by the next {@link #commit} together with, and atomically with, everything written
   * since the last commit; a commit with checkpoints staged commits them even if no record was
   * written. A key staged again before the commit keeps the last text; {@link #abort} drops them.
   * Checkpoint text is stored as it is: it must never hold a secret.
   *
   * @throws UnsupportedOperationException by default: the sink does not store checkpoints
   * @throws NullPointerException if a key or a text is {@code null}
   */
  default void stageCheckpoints(Map<String, String> checkpoints) {
    throw new UnsupportedOperationException(this + " does not store checkpoints: check"
        + " storesCheckpoints() first and keep them in a StateStore");
  }

  /**
   * The checkpoint last committed under {@code key}, read now; empty when the sink holds none for
   * it (or, the default, stores no checkpoints).
   *
   * @throws SinkException if the sink stores checkpoints but reading them failed
   */
  default Optional<String> checkpoint(String key) {
    return Optional.empty();
  }

  /** Releases the sink's resources; staged but uncommitted batches are dropped. */
  @Override
  default void close() {}
}
