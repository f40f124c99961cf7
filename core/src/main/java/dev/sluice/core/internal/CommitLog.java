package dev.sluice.core.internal;

import dev.sluice.core.SinkException;
import dev.sluice.xdm.DataRecord;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The commit records of a file sink: how its batch files and its checkpoints commit together.
 *
 * <p>A commit with checkpoints first makes its files durable under hidden temporary names, then
 * writes one record {@code ROOT/.sluice/commits/NNNNNNNNNNNNNNNNNNNN.json} (under a temporary name,
 * forced, renamed: the commit point) naming the renames still to do and the checkpoints, then does
 * the renames. After a crash anywhere past the commit point the next sink over the root redoes the
 * renames a record names whose temporary file is still there ({@link #recover()}), so the data
 * and the checkpoints committed together are always found together; before it, the temporary files
 * are leftovers the sink removes. A record stays until every checkpoint key it holds was committed
 * again by a later one.
 *
 * <p>Record: {@code {"moves":[{"from":"charges/.B.jsonl.tmp","to":"charges/B.jsonl"}],
 * "checkpoints":{"charges":"…"}}}, paths relative to the root with {@code /}.
 *
 * <p>Not thread-safe: one sink instance over a root at a time.
 */
public final class CommitLog {
  /** The folder of the records, relative to the root. */
  public static final String FOLDER = ".sluice/commits";
  private static final String SUFFIX = ".json";

  private final Path root;
  private final Path dir;
  private boolean recovered;
  private long sequence;
  /** Per key, the last committed text. */
  private final Map<String, String> committed = new HashMap<>();
  /** Per key, the record that holds its last committed text. */
  private final Map<String, Long> holder = new HashMap<>();

  /** The commit records of the sink writing under {@code root}. */
  public CommitLog(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.dir = this.root.resolve(FOLDER);
  }

  /** A rename that makes one staged file visible. */
  public record Move(Path from, Path to) {}

  /**
   * Reads the records once per instance: redoes the renames a crash left undone, removes record
   * files never completed, and loads the checkpoints. Later calls do nothing.
   *
   * @throws SinkException naming the record when one cannot be read or names a file outside the
   *     root
   */
  public void recover() {
    if (recovered) {
      return;
    }
    if (Files.isDirectory(dir)) {
      TreeMap<Long, Path> records = new TreeMap<>();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          if (name.startsWith(".")) {
            Files.deleteIfExists(file);
            continue;
          }
          Long seq = sequenceOf(name);
          if (seq == null) {
            throw new SinkException("Unexpected file " + file + " among the commit records: the"
                + " folder " + dir + " holds only the sink's NNNNNNNNNNNNNNNNNNNN.json records;"
                + " move the file elsewhere", null);
          }
          records.put(seq, file);
        }
      } catch (IOException e) {
        throw new SinkException("Cannot read the commit records in " + dir + ": " + e.getMessage(), e);
      }
      for (Map.Entry<Long, Path> e : records.entrySet()) {
        Parsed record = parse(e.getValue());
        try {
          doMoves(record.moves);
        } catch (IOException ex) {
          throw new SinkException("Cannot finish the commit recorded in " + e.getValue() + ": "
              + ex.getMessage() + "; the sink retries when next opened", ex);
        }
        for (Map.Entry<String, String> c : record.checkpoints.entrySet()) {
          committed.put(c.getKey(), c.getValue());
          holder.put(c.getKey(), e.getKey());
        }
        sequence = e.getKey();
      }
      prune(records.keySet());
    }
    recovered = true;
  }

  /** The checkpoint last committed under {@code key}. */
  public Optional<String> checkpoint(String key) {
    recover();
    return Optional.ofNullable(committed.get(key));
  }

  /**
   * Commits: writes the record naming {@code moves} and {@code checkpoints} (the commit point), then
   * renames each move's file into place, in order. The files to move must already be durable.
   *
   * @throws SinkException if the record cannot be written (nothing is committed: the caller drops
   *     its files), or if a rename fails after it was written (the commit holds: the renames are
   *     redone when a sink next opens the root, and the caller must keep the files)
   */
  public void commit(List<Move> moves, Map<String, String> checkpoints) {
    recover();
    long seq = sequence + 1;
    DataRecord.Builder cps = DataRecord.builder();
    new TreeMap<>(checkpoints).forEach(cps::put);
    List<Object> moveList = new ArrayList<>();
    for (Move m : moves) {
      moveList.add(DataRecord.builder().put("from", relative(m.from())).put("to", relative(m.to())).build());
    }
    String json = DataRecord.builder().put("moves", moveList).put("checkpoints", cps.build()).build().toJson();
    Path target = dir.resolve(String.format("%020d", seq) + SUFFIX);
    Path temp = dir.resolve("." + target.getFileName() + ".tmp");
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      syncDir(dir);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a hidden leftover, removed by the next recovery
      }
      throw new SinkException("Cannot write the commit record " + target + ": " + e.getMessage()
          + "; nothing was committed", e);
    }
    sequence = seq;
    Set<Long> replaced = new LinkedHashSet<>();
    for (Map.Entry<String, String> c : checkpoints.entrySet()) {
      committed.put(c.getKey(), c.getValue());
      Long before = holder.put(c.getKey(), seq);
      if (before != null) {
        replaced.add(before);
      }
    }
    try {
      doMoves(moves);
    } catch (IOException e) {
      throw new CommittedException("The commit recorded in " + target + " holds, but renaming its"
          + " files failed: " + e.getMessage() + "; the next sink over " + root + " finishes it", e);
    }
    prune(replaced);
  }

  /** Thrown when the commit point was passed but a rename failed: the caller keeps its files. */
  public static final class CommittedException extends SinkException {
    private static final long serialVersionUID = 1L;

    CommittedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private void doMoves(List<Move> moves) throws IOException {
    Set<Path> dirs = new LinkedHashSet<>();
    for (Move m : moves) {
      if (Files.exists(m.from())) {
        Files.move(m.from(), m.to(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        dirs.add(m.to().getParent());
      }
    }
    dirs.forEach(CommitLog::syncDir);
  }

  /** Deletes the records among {@code candidates} that hold no key's last checkpoint. */
  private void prune(Set<Long> candidates) {
    Set<Long> live = new LinkedHashSet<>(holder.values());
    for (Long seq : candidates) {
      if (!live.contains(seq) && seq != sequence) {
        try {
          Files.deleteIfExists(dir.resolve(String.format("%020d", seq) + SUFFIX));
        } catch (IOException ignored) {
          // An old record is harmless: its renames are done and its checkpoints superseded.
        }
      }
    }
  }

  private Parsed parse(Path file) {
    DataRecord record;
    try {
      record = DataRecord.fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SinkException("Cannot read the commit record " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new SinkException("The commit record " + file + " is not valid JSON (" + e.getMessage()
          + "): it was not written by this sink; restore it or remove it (the checkpoints it holds"
          + " are then lost and the next run re-reads from the previous ones)", e);
    }
    List<Move> moves = new ArrayList<>();
    Map<String, String> checkpoints = new LinkedHashMap<>();
    try {
      for (Object m : record.getList("moves")) {
        DataRecord move = (DataRecord) m;
        moves.add(new Move(resolve(move.getString("from"), file), resolve(move.getString("to"), file)));
      }
      DataRecord cps = record.getRecord("checkpoints");
      for (String key : cps.keys()) {
        checkpoints.put(key, cps.getString(key));
      }
    } catch (SinkException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SinkException("The commit record " + file + " lacks 'moves' or 'checkpoints' or"
          + " has values of the wrong type (" + e.getMessage() + "): it was not written by this"
          + " sink; restore it or remove it", e);
    }
    return new Parsed(moves, checkpoints);
  }

  private Path resolve(String relative, Path file) {
    if (relative == null) {
      throw new SinkException("The commit record " + file + " has a move without a path", null);
    }
    Path p = root.resolve(relative).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new SinkException("The commit record " + file + " names '" + relative + "', which is"
          + " not under the sink's root " + root + ": remove the record if the files were moved", null);
    }
    return p;
  }

  private String relative(Path p) {
    return root.relativize(p.toAbsolutePath().normalize()).toString().replace(File.separatorChar, '/');
  }

  private static Long sequenceOf(String name) {
    String digits = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : "";
    if (digits.length() != 20 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Adds {@code checkpoints} to a sink's staged ones (a key staged again keeps its last text),
   * refusing a null key or text: what every sink's {@code stageCheckpoints} does.
   */
  public static void stage(Map<String, String> staged, Map<String, String> checkpoints) {
    checkpoints.forEach((key, text) -> staged.put(
        java.util.Objects.requireNonNull(key, "checkpoint key == null"),
        java.util.Objects.requireNonNull(text, "checkpoint text == null for key " + key)));
  }

  /** Makes a rename in {@code dir} durable where the platform allows it. */
  public static void syncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Some platforms cannot sync a folder; the rename itself is still atomic.
    }
  }

  private record Parsed(List<Move> moves, Map<String, String> checkpoints) {}
}
