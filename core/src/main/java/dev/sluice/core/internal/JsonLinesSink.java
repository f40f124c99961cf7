package dev.sluice.core.internal;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.Sink;
import dev.sluice.core.SinkException;
import dev.sluice.xdm.JsonValues;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okio.Buffer;

/**
 * The JSON Lines sink: one file per committed batch per dataset, renamed into place on commit.
 *
 * <p>For each {@code ROOT/DATASET/NAME.jsonl} an index file {@code
 * ROOT/.sluice/ids/DATASET/NAME.ids} lists, line by line, the operation and id of each line
 * ({@code U"ch_1"} or {@code D"ch_2"}), so the current state and the ids can be read back even
 * when a mapping moved the id out of the record's top level, and the dataset folder holds nothing
 * but data. The index is renamed into place just before its data file; an index without its data
 * file is a leftover of a crash and is ignored, then removed.
 *
 * <p>Checkpoints staged with {@link #stageCheckpoints} commit through a {@link CommitLog} record
 * written before the renames, so the batch files and the checkpoints commit together; without
 * staged checkpoints a commit just renames.
 */
public final class JsonLinesSink implements Sink {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  static final String TEMP_SUFFIX = ".jsonl.tmp";
  static final String INDEX_SUFFIX = ".ids";
  static final String INDEX_TEMP_SUFFIX = ".ids.tmp";
  static final String INDEX_FOLDER = ".sluice/ids";

  private final Path root;
  private final Map<String, Staged> staged = new LinkedHashMap<>();
  private final Map<String, String> stagedCheckpoints = new LinkedHashMap<>();
  private final CommitLog log;
  /** Per dataset, the greatest base name committed so far, or "" for none. */
  private final Map<String, String> lastName = new HashMap<>();
  private long sequence;
  private long bytesWritten;

  /** A sink writing under {@code root}; nothing is created before the first write. */
  public JsonLinesSink(Path root) {
    this.root = root;
    this.log = new CommitLog(root);
  }

  @Override
  public void write(String dataset, List<ChangeEnvelope> changes) {
    if (changes.isEmpty()) {
      return;
    }
    Staged batch = staged.get(dataset);
    try {
      if (batch == null) {
        batch = open(dataset);
        staged.put(dataset, batch);
      }
      Buffer buffer = new Buffer();
      Buffer index = new Buffer();
      for (ChangeEnvelope change : changes) {
        // JsonValues.toJson writes what Moshi's writer (nulls kept) writes, without its set-up per
        // line, and copies a record read from compact text and left unchanged as it was.
        buffer.writeUtf8(change.record().toJson()).writeByte('\n');
        index.writeByte(change.operation() == ChangeEnvelope.Operation.DELETE ? 'D' : 'U')
            .writeUtf8(JsonValues.toJson(change.id())).writeByte('\n');
      }
      long size = buffer.size();
      buffer.writeTo(batch.out);
      index.writeTo(batch.indexOut);
      bytesWritten += size;
    } catch (IOException | RuntimeException e) {
      throw new SinkException(
          "Cannot write a batch of " + changes.size() + " records for dataset '" + dataset + "' to "
              + (batch == null ? datasetDir(dataset) : batch.temp) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void commit() {
    List<CommitLog.Move> moves = new ArrayList<>();
    try {
      for (Staged batch : staged.values()) {
        batch.indexOut.flush();
        batch.indexChannel.force(true);
        batch.indexChannel.close();
        batch.out.flush();
        batch.channel.force(true);
        batch.channel.close();
        moves.add(new CommitLog.Move(batch.indexTemp, batch.index));
        moves.add(new CommitLog.Move(batch.temp, batch.target));
      }
      if (stagedCheckpoints.isEmpty()) {
        for (CommitLog.Move move : moves) {
          Files.move(move.from(), move.to(), StandardCopyOption.ATOMIC_MOVE);
        }
      } else {
        log.commit(moves, stagedCheckpoints);
      }
    } catch (CommitLog.CommittedException e) {
      // Committed: the next sink over the root finishes the renames; keep the files.
      committed();
      throw e;
    } catch (IOException | SinkException e) {
      abort();
      throw new SinkException("Cannot commit JSON Lines files under " + root + ": " + e.getMessage(), e);
    }
    committed();
  }

  private void committed() {
    for (Staged batch : staged.values()) {
      lastName.put(batch.dataset, batch.baseName);
    }
    staged.clear();
    stagedCheckpoints.clear();
  }

  /** True: checkpoints commit with the batches (see {@link CommitLog}). */
  @Override
  public boolean storesCheckpoints() {
    return true;
  }

  @Override
  public void stageCheckpoints(Map<String, String> checkpoints) {
    CommitLog.stage(stagedCheckpoints, checkpoints);
  }

  @Override
  public Optional<String> checkpoint(String key) {
    return log.checkpoint(key);
  }

  @Override
  public void abort() {
    for (Staged batch : staged.values()) {
      try {
        batch.channel.close();
        batch.indexChannel.close();
        Files.deleteIfExists(batch.temp);
        Files.deleteIfExists(batch.indexTemp);
        if (!Files.exists(batch.target)) {
          Files.deleteIfExists(batch.index);
        }
      } catch (IOException ignored) {
        // The temporary files are hidden from readers and removed by the next writer.
      }
    }
    staged.clear();
    stagedCheckpoints.clear();
  }

  @Override
  public Optional<Set<String>> currentIds(String dataset) {
    log.recover();
    return Optional.of(JsonLinesState.ids(root, datasetDir(dataset).getFileName().toString()));
  }

  @Override
  public long bytesWritten() {
    return bytesWritten;
  }

  @Override
  public void close() {
    abort();
  }

  private Staged open(String dataset) throws IOException {
    Path dir = datasetDir(dataset);
    Path indexDir = indexDir(root, dataset);
    Files.createDirectories(dir);
    Files.createDirectories(indexDir);
    String last = lastName.get(dataset);
    if (last == null) {
      log.recover();
      removeLeftovers(dir, indexDir);
      last = JsonLinesState.lastBaseName(dir);
    }
    String stamp = STAMP.format(ZonedDateTime.now(ZoneOffset.UTC));
    String base = stamp + "-" + String.format("%06d", ++sequence);
    if (base.compareTo(last) <= 0) {
      // The clock went back or another sink wrote in the same millisecond: keep name order.
      int dash = last.lastIndexOf('-');
      base = last.substring(0, dash + 1)
          + String.format("%06d", Long.parseLong(last.substring(dash + 1)) + 1);
    }
    lastName.put(dataset, base);
    Path target = dir.resolve(base + ".jsonl");
    Path temp = dir.resolve("." + base + TEMP_SUFFIX);
    Path index = indexDir.resolve(base + INDEX_SUFFIX);
    Path indexTemp = indexDir.resolve(base + INDEX_TEMP_SUFFIX);
    FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileChannel indexChannel =
        FileChannel.open(indexTemp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new Staged(dataset, base, temp, target, channel, indexTemp, index, indexChannel);
  }

  private static void removeLeftovers(Path dir, Path indexDir) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*" + TEMP_SUFFIX)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(indexDir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(INDEX_TEMP_SUFFIX)) {
          Files.deleteIfExists(file);
        } else if (name.endsWith(INDEX_SUFFIX)) {
          String base = name.substring(0, name.length() - INDEX_SUFFIX.length());
          if (!Files.exists(dir.resolve(base + ".jsonl"))) {
            Files.deleteIfExists(file);
          }
        }
      }
    }
  }

  static Path indexDir(Path root, String dataset) {
    return root.resolve(INDEX_FOLDER).resolve(dataset);
  }

  private Path datasetDir(String dataset) {
    if (dataset.isEmpty() || dataset.startsWith("/") || dataset.contains("..")
        || dataset.contains("\\")) {
      throw new SinkException("Dataset name '" + dataset + "' cannot be a folder under " + root
          + ": use a plain name such as 'charges'", null);
    }
    return root.resolve(dataset);
  }

  @Override
  public String toString() {
    return "Sinks.jsonLines(" + root + ")";
  }

  private static final class Staged {
    final String dataset;
    final String baseName;
    final Path temp;
    final Path target;
    final FileChannel channel;
    final OutputStream out;
    final Path indexTemp;
    final Path index;
    final FileChannel indexChannel;
    final OutputStream indexOut;

    Staged(String dataset, String baseName, Path temp, Path target, FileChannel channel,
        Path indexTemp, Path index, FileChannel indexChannel) {
      this.dataset = dataset;
      this.baseName = baseName;
      this.temp = temp;
      this.target = target;
      this.channel = channel;
      this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
      this.indexTemp = indexTemp;
      this.index = index;
      this.indexChannel = indexChannel;
      this.indexOut = new BufferedOutputStream(Channels.newOutputStream(indexChannel), 1 << 14);
    }
  }
}
