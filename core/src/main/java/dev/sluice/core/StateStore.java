package dev.sluice.core;

import java.util.Optional;

/**
 * Keeps each flow's checkpoint between runs and across crashes.
 *
 * <p>{@link #save} must be atomic: after a crash, {@link #load} returns either the old or the new
 * checkpoint, never a mix. Built-in stores are in {@link StateStores}.
 */
public interface StateStore {

  /** The last checkpoint saved for this key, if any. */
  Optional<String> load(String key);

  /** Replaces the checkpoint for this key, atomically. */
  void save(String key, String checkpoint);

  /** Forgets the checkpoint for this key (the next run starts from scratch). */
  void delete(String key);
}
