package dev.sluice.sink.parquet.internal;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.SinkException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The files of a data lake: {@code root/DATASET/ingest_date=YYYY-MM-DD/STAMP-SEQ-HASH.parquet}
 * for the changes, {@code root/DATASET/current/snapshot.parquet} for the compacted current state.
 *
 * <p>File names sort in commit order (the stamp of the run, then a sequence), across partitions.
 * The hash is that of the batch's content: a batch whose hash is already committed in the dataset
 * is not committed again. Files are written under a hidden temporary name ({@code .NAME.tmp}) and
 * renamed when committed; temporary files left by a crash are removed when a sink next writes the
 * dataset. The snapshot's footer names the last change file it includes ({@value #THROUGH}).
 */
public final class Lake {
  /** The folder of a dataset that holds its snapshot. */
  public static final String CURRENT = "current";
  /** The file name of a dataset's snapshot, in {@value #CURRENT}. */
  public static final String SNAPSHOT = "snapshot.parquet";
  /** The start of a partition folder's name, followed by the ingestion date (UTC). */
  public static final String PARTITION_PREFIX = "ingest_date=";
  static final String THROUGH = "sluice.through";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final Path root;
  private final CompressionCodecName codec;
  private final long rowGroupBytes;
  private final int pageBytes;
  private final Clock clock;

  /**
   * The lake under {@code root}, writing pages with {@code codec}, row groups of about {@code
   * rowGroupBytes} and pages of about {@code pageBytes}; {@code clock} dates partitions and stamps.
   */
  public Lake(Path root, CompressionCodecName codec, long rowGroupBytes, int pageBytes, Clock clock) {
    this.root = root;
    this.codec = codec;
    this.rowGroupBytes = rowGroupBytes;
    this.pageBytes = pageBytes;
    this.clock = clock;
  }

  /** The folder holding one folder per dataset. */
  public Path root() {
    return root;
  }

  /** The folder of a dataset, refusing names that are not one plain folder name. */
  public Path datasetDir(String dataset) {
    if (dataset == null || dataset.isEmpty() || dataset.startsWith(".") || dataset.contains("/")
        || dataset.contains("\\") || dataset.contains("=")) {
      throw new SinkException("Dataset name '" + dataset + "' cannot be a folder under " + root
          + ": use a plain name such as 'charges'", null);
    }
    return root.resolve(dataset);
  }

  /** The partition folder for files ingested now. */
  public Path partitionNow(String dataset) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    return datasetDir(dataset).resolve(PARTITION_PREFIX + today);
  }

  /** A run stamp for the current instant. */
  public String stampNow() {
    return STAMP.format(clock.instant());
  }

  /** Opens a writer for a new temporary file. */
  public Writer open(Path temp, Shape shape) throws IOException {
    Files.createDirectories(temp.getParent());
    Files.deleteIfExists(temp);
    NioOutputFile file = new NioOutputFile(temp);
    RowWriteSupport support = new RowWriteSupport(shape, Map.of());
    ParquetWriter<ChangeEnvelope> writer = new WriterBuilder(file, support)
        .withConf(new PlainParquetConfiguration())
        .withCodecFactory(new Codecs())
        .withCompressionCodec(codec)
        .withRowGroupSize(rowGroupBytes)
        .withPageSize(pageBytes)
        .withDictionaryEncoding(true)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
    return new Writer(temp, shape, file, support, writer);
  }

  /** The committed change files of a dataset, in commit order. */
  public List<Path> changeFiles(String dataset) throws IOException {
    Path dir = datasetDir(dataset);
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, PARTITION_PREFIX + "*")) {
      for (Path part : parts) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(part, "[!.]*.parquet")) {
          files.forEach(out::add);
        }
      }
    }
    out.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    return out;
  }

  /** Removes the temporary files a crashed writer left in a dataset. */
  public void removeLeftovers(String dataset) throws IOException {
    Path dir = datasetDir(dataset);
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> folders = new ArrayList<>();
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir)) {
      parts.forEach(folders::add);
    }
    for (Path folder : folders) {
      if (Files.isDirectory(folder)) {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(folder, ".*.tmp")) {
          for (Path t : temps) {
            Files.deleteIfExists(t);
          }
        }
      }
    }
  }

  /** The snapshot file of a dataset, if compacted. */
  public Path snapshot(String dataset) {
    return datasetDir(dataset).resolve(CURRENT).resolve(SNAPSHOT);
  }

  /** Renames a finished temporary file into place and makes the rename durable. */
  public static void publish(Path temp, Path target) throws IOException {
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDir(target.getParent());
  }

  static void syncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Some platforms cannot sync a folder; the rename itself is still atomic.
    }
  }

  /** The base name of a change file: STAMP-SEQ, without hash and extension. */
  public static String base(String fileName) {
    int second = fileName.indexOf('-', fileName.indexOf('-') + 1);
    return second < 0 ? fileName : fileName.substring(0, second);
  }

  /** The content hash of a change file. */
  public static String hash(String fileName) {
    int second = fileName.indexOf('-', fileName.indexOf('-') + 1);
    int dot = fileName.lastIndexOf('.');
    return second < 0 || dot < second ? "" : fileName.substring(second + 1, dot);
  }

  // ------------------------------------------------------------------ current state

  /**
   * Reads the committed current state's sources (the snapshot, then the change files after it)
   * and answers, for each id, which row holds its last committed change.
   */
  public Winners winners(String dataset) throws IOException {
    List<Path> sources = new ArrayList<>();
    Path snap = snapshot(dataset);
    String through = "";
    if (Files.exists(snap)) {
      sources.add(snap);
      String t = RowReader.footer(snap).get(THROUGH);
      through = t == null ? "" : t;
    }
    List<Path> files = changeFiles(dataset);
    String last = through;
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.compareTo(through) > 0) {
        sources.add(f);
        last = name;
      }
    }
    Map<String, Long> winner = new HashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      try (RowReader r = RowReader.idsOnly(sources.get(i), dataset)) {
        long row = 0;
        for (ChangeEnvelope c = r.next(); c != null; c = r.next(), row++) {
          long at = ((long) i << 40) | row;
          winner.put(c.id(), c.operation() == ChangeEnvelope.Operation.DELETE ? ~at : at);
        }
      }
    }
    return new Winners(sources, winner, last);
  }

  /** The ids of the committed current state. */
  public Set<String> currentIds(String dataset) throws IOException {
    Set<String> ids = new HashSet<>();
    winners(dataset).winner.forEach((id, at) -> {
      if (at >= 0) {
        ids.add(id);
      }
    });
    return ids;
  }

  /**
   * Writes a new snapshot holding the current state; answers the number of rows in it, or -1 when
   * the snapshot already included every committed change.
   */
  public long compact(String dataset, Shape known) throws IOException {
    Winners w = winners(dataset);
    Path snap = snapshot(dataset);
    boolean hadSnapshot = Files.exists(snap);
    int changeSources = w.sources.size() - (hadSnapshot ? 1 : 0);
    if (changeSources == 0 && hadSnapshot) {
      return -1;
    }
    Shape shape = known == null ? Shape.record(Map.of()) : known;
    for (Path s : w.sources) {
      shape = Shape.widen(shape, RowReader.shape(s));
    }
    Path temp = snap.resolveSibling("." + SNAPSHOT + ".tmp");
    Writer out = open(temp, shape);
    long rows = 0;
    try {
      for (int i = 0; i < w.sources.size(); i++) {
        try (RowReader r = RowReader.rows(w.sources.get(i), dataset)) {
          long row = 0;
          for (ChangeEnvelope c = r.next(); c != null; c = r.next(), row++) {
            long at = ((long) i << 40) | row;
            Long win = w.winner.get(c.id());
            if (win != null && win == at) {
              out.write(c);
              rows++;
            }
          }
        }
      }
      out.finish(Map.of(THROUGH, w.last));
    } catch (IOException | RuntimeException e) {
      out.abandon();
      throw e;
    }
    publish(temp, snap);
    return rows;
  }

  /** Which row of which source holds each id's last change (negative, complemented: a delete). */
  public static final class Winners {
    final List<Path> sources;
    final Map<String, Long> winner;
    final String last;

    Winners(List<Path> sources, Map<String, Long> winner, String last) {
      this.sources = sources;
      this.winner = winner;
      this.last = last;
    }
  }

  /** A file being written. */
  public static final class Writer {
    final Path temp;
    final Shape shape;
    private final NioOutputFile file;
    private final RowWriteSupport support;
    private final ParquetWriter<ChangeEnvelope> writer;
    long rows;

    Writer(Path temp, Shape shape, NioOutputFile file, RowWriteSupport support, ParquetWriter<ChangeEnvelope> writer) {
      this.temp = temp;
      this.shape = shape;
      this.file = file;
      this.support = support;
      this.writer = writer;
    }

    /** The hidden temporary file being written. */
    public Path temp() {
      return temp;
    }

    /** The data shape the file is written with. */
    public Shape shape() {
      return shape;
    }

    /** How many rows were written so far. */
    public long rows() {
      return rows;
    }

    /** Writes one change as a row. */
    public void write(ChangeEnvelope change) throws IOException {
      writer.write(change);
      rows++;
    }

    /** The hash of the rows written. */
    public String hash() {
      return support.hash();
    }

    /** Writes the footer (with extra key-values) and forces the file to disk. */
    public void finish(Map<String, String> extraMeta) throws IOException {
      support.extra(extraMeta);
      writer.close();
    }

    /** Drops the file. */
    public void abandon() {
      file.abandon();
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // A hidden temporary file; the next writer removes it.
      }
    }
  }

  private static final class WriterBuilder extends ParquetWriter.Builder<ChangeEnvelope, WriterBuilder> {
    private final RowWriteSupport support;

    WriterBuilder(NioOutputFile file, RowWriteSupport support) {
      super(file);
      this.support = support;
    }

    @Override
    protected WriterBuilder self() {
      return this;
    }

    @Override
    @SuppressWarnings("deprecation")
    protected WriteSupport<ChangeEnvelope> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
      return support;
    }

    @Override
    protected WriteSupport<ChangeEnvelope> getWriteSupport(org.apache.parquet.conf.ParquetConfiguration conf) {
      return support;
    }
  }
}
