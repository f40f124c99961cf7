package dev.sluice.core;

import java.util.Optional;

/**
 * Keeps each flow's checkpoint between runs and across crashes.
 *
 * <p>{@link #save} must be atomic: after a crash, {@link #load} returns either the old or the new
 * checkpoint, never a mix. Built-in stores are in {@link StateStores}.
 *
 * <p>With a sink that {@linkplain Sink#storesCheckpoints() stores checkpoints in its commits} the
 * sink's copy is the one a flow resumes from; the state store then gets a copy after each commit
 * and is read only when the sink holds no checkpoint for the flow (the first run after an upgrade).
 */
public interface StateStore {

  /** The last checkpoint saved for this key, if any. */
  Optional<String> load(String key);

  /** Replaces the checkpoint for this key, atomically. */
  void save(String key, String checkpoint);

  /** Forgets the checkpoint for this key (the next run starts from scratch). */
  void delete(String key);
}
