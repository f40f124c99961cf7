package dev.sluice.core.internal;

import com.squareup.moshi.JsonWriter;
import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.Sink;
import dev.sluice.core.SinkException;
import dev.sluice.xdm.JsonValues;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okio.Buffer;

/** The JSON Lines sink: one file per committed batch per dataset, renamed into place on commit. */
public final class JsonLinesSink implements Sink {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String TEMP_SUFFIX = ".jsonl.tmp";

  private final Path root;
  private final Map<String, Staged> staged = new LinkedHashMap<>();
  private final Set<String> cleaned = new HashSet<>();
  private long sequence;

  public JsonLinesSink(Path root) {
    this.root = root;
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
      for (ChangeEnvelope change : changes) {
        JsonWriter writer = JsonWriter.of(buffer);
        writer.setSerializeNulls(true);
        JsonValues.write(writer, change.record());
        writer.flush();
        buffer.writeByte('\n');
      }
      buffer.writeTo(batch.out);
      batch.records += changes.size();
    } catch (IOException | RuntimeException e) {
      throw new SinkException(
          "Cannot write a batch of " + changes.size() + " records for dataset '" + dataset + "' to "
              + (batch == null ? datasetDir(dataset) : batch.temp) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void commit() {
    try {
      for (Staged batch : staged.values()) {
        batch.out.flush();
        batch.channel.force(true);
        batch.channel.close();
        Files.move(batch.temp, batch.target, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      abort();
      throw new SinkException("Cannot commit JSON Lines files under " + root + ": " + e.getMessage(), e);
    }
    staged.clear();
  }

  @Override
  public void abort() {
    for (Staged batch : staged.values()) {
      try {
        batch.channel.close();
        Files.deleteIfExists(batch.temp);
      } catch (IOException ignored) {
        // The temporary file is hidden from readers and removed by the next writer.
      }
    }
    staged.clear();
  }

  @Override
  public void close() {
    abort();
  }

  private Staged open(String dataset) throws IOException {
    Path dir = datasetDir(dataset);
    Files.createDirectories(dir);
    if (cleaned.add(dataset)) {
      removeLeftovers(dir);
    }
    String stamp = STAMP.format(ZonedDateTime.now(ZoneOffset.UTC));
    Path target;
    do {
      target = dir.resolve(stamp + "-" + String.format("%06d", ++sequence) + ".jsonl");
    } while (Files.exists(target));
    Path temp = dir.resolve("." + target.getFileName().toString().replace(".jsonl", TEMP_SUFFIX));
    FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new Staged(temp, target, channel);
  }

  private static void removeLeftovers(Path dir) throws IOException {
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "." + "*" + TEMP_SUFFIX)) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
      }
    }
  }

  private Path datasetDir(String dataset) {
    if (dataset.isEmpty() || dataset.startsWith("/") || dataset.contains("..") || dataset.contains("\\")) {
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
    final Path temp;
    final Path target;
    final FileChannel channel;
    final OutputStream out;
    long records;

    Staged(Path temp, Path target, FileChannel channel) {
      this.temp = temp;
      this.target = target;
      this.channel = channel;
      this.out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }
  }
}
