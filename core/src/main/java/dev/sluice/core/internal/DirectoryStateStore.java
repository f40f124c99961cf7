package dev.sluice.core.internal;

import dev.sluice.core.SluiceException;
import dev.sluice.core.StateStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** A {@link StateStore} with one file per key, each replaced atomically. */
public final class DirectoryStateStore implements StateStore {
  private final Path directory;

  /** A store keeping its files in {@code directory}, which is created on the first save. */
  public DirectoryStateStore(Path directory) {
    this.directory = directory;
  }

  @Override
  public Optional<String> load(String key) {
    try {
      return Optional.of(Files.readString(file(key), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new SluiceException("Cannot read checkpoint " + file(key) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void save(String key, String checkpoint) {
    Path target = file(key);
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.createDirectories(directory);
      try (FileChannel channel =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(checkpoint.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new SluiceException("Cannot save checkpoint " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String key) {
    try {
      Files.deleteIfExists(file(key));
    } catch (IOException e) {
      throw new SluiceException("Cannot delete checkpoint " + file(key) + ": " + e.getMessage(), e);
    }
  }

  private Path file(String key) {
    StringBuilder name = new StringBuilder();
    for (char c : key.toCharArray()) {
      name.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_');
    }
    if (!name.toString().equals(key)) {
      // Keep keys that differ only in replaced characters apart.
      name.append('-').append(Integer.toHexString(key.hashCode()));
    }
    return directory.resolve(name + ".json");
  }

  @Override
  public String toString() {
    return "StateStores.directory(" + directory + ")";
  }
}
