package dev.sluice.core;

import dev.sluice.core.internal.DirectoryStateStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The built-in {@link StateStore}s. */
public final class StateStores {
  private StateStores() {}

  /** A store that forgets everything when the process ends: the default, and for tests. */
  public static StateStore inMemory() {
    Map<String, String> map = new ConcurrentHashMap<>();
    return new StateStore() {
      @Override
      public Optional<String> load(String key) {
        return Optional.ofNullable(map.get(key));
      }

      @Override
      public void save(String key, String checkpoint) {
        map.put(key, checkpoint);
      }

      @Override
      public void delete(String key) {
        map.remove(key);
      }

      @Override
      public String toString() {
        return "StateStores.inMemory()";
      }
    };
  }

  /**
   * A store keeping one file per key in {@code directory}, each replaced atomically (written to a
   * temporary file, forced to disk, then renamed over the old one).
   */
  public static StateStore directory(Path directory) {
    return new DirectoryStateStore(Objects.requireNonNull(directory, "directory == null"));
  }
}
