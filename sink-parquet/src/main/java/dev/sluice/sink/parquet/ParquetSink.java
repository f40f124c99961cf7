package dev.sluice.sink.parquet;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.SchemaChange;
import dev.sluice.core.Sink;
import dev.sluice.core.SinkException;
import dev.sluice.core.internal.CommitLog;
import dev.sluice.sink.parquet.internal.Columns;
import dev.sluice.sink.parquet.internal.Lake;
import dev.sluice.sink.parquet.internal.RowReader;
import dev.sluice.sink.parquet.internal.RowWriteSupport;
import dev.sluice.sink.parquet.internal.Shape;
import dev.sluice.xdm.schema.XdmField;
import dev.sluice.xdm.schema.XdmSchema;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Sink} writing plain Parquet files on a local filesystem, one folder per dataset,
 * partitioned by ingestion date, for DuckDB, Spark, Trino or pandas to read.
 *
 * <pre>{@code
 * ParquetSink lake = ParquetSink.builder()
 *     .root(Path.of("sluice-data"))
 *     .schema("charges", chargesXdmSchema)   // optional: without it the schema is inferred
 *     .compression(Compression.ZSTD)
 *     .compactAfterCommit(true)
 *     .build();
 * Flow flow = stripe.source("charges").into(lake).build();
 * }</pre>
 *
 * <p><b>Layout.</b> Every committed batch of a dataset is one file {@code
 * ROOT/DATASET/ingest_date=YYYY-MM-DD/STAMP-SEQ-HASH.parquet}: the run's start stamp and a
 * sequence (so names sort in commit order) and a hash of the batch's content. A batch is written
 * under a hidden temporary name and renamed by {@link #commit()}, so readers never see a half
 * file; a batch identical to one already committed (a rerun after a crash) is not committed again.
 * Read the changes with DuckDB:
 * <pre>{@code
 * SELECT * FROM read_parquet('sluice-data/charges/ingest_date=*}{@code /*.parquet', hive_partitioning=true, union_by_name=true);
 * }</pre>
 *
 * <p><b>Columns.</b> Each row is one change: {@code _sluice_op} ({@code UPSERT} or {@code
 * DELETE}), {@code _sluice_id}, {@code _sluice_changed_at} (timestamp, UTC), then the record's
 * fields, then {@code _sluice_absent} (the dotted paths of fields the record did not have, as
 * opposed to having them with null). A delete's data columns are null.
 *
 * <p><b>Types.</b> With an {@link XdmSchema} for the dataset, objects become groups, arrays lists,
 * maps maps; long, int, short and byte become INT64/INT32 with their integer logical types;
 * number becomes DOUBLE (XDM's number has no scale; give the field a whole-number type to keep
 * amounts exact); boolean; string and uri UTF-8 strings; date DATE; date-time TIMESTAMP (micros,
 * UTC) from ISO-8601 text or Unix seconds. A record that does not fit is refused before anything of
 * its batch is staged, with the field and the problem named. Without a schema the types are
 * inferred from the records: integers INT64, {@link java.math.BigInteger}s and {@link
 * java.math.BigDecimal}s DECIMAL(38, scale), {@code metadata} objects of strings a map, fields seen
 * only as null an optional string until a value shows their type; later records widen it (int64
 * to decimal, new fields, values of disagreeing types to JSON text), and each change is reported
 * by {@link #schemaChanges()} and logged.
 *
 * <p><b>Checkpoints.</b> The sink {@linkplain #storesCheckpoints() stores checkpoints}: those
 * staged before a commit are written in a commit record {@code ROOT/.sluice/commits/N.json} that
 * also names the batch files to rename, written before the renames, so the batch files and the
 * checkpoint after them commit together; a sink opened after a crash finishes the renames of the
 * last record.
 *
 * <p><b>Current state.</b> {@link #compact(String)} (or {@link Builder#compactAfterCommit}) writes
 * {@code ROOT/DATASET/current/snapshot.parquet}: one row per id with its last committed version,
 * deleted ids left out, replacing the previous snapshot atomically. The change files stay.
 *
 * <p><b>Limits.</b> One sink at a time may write a dataset. Memory is bounded by the row group
 * size per dataset being written (64 MiB by default); compaction also holds every id of the
 * dataset in memory.
 *
 * <p>Not thread-safe: a flow calls it from one thread at a time.
 */
public final class ParquetSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetSink.class);

  private final Lake lake;
  private final Map<String, Shape> fixed;
  private final boolean compactAfterCommit;
  private final Clock clock;
  private final String runStamp;
  private final Map<String, DatasetState> datasets = new LinkedHashMap<>();
  private final List<SchemaChange> changes = new ArrayList<>();
  private final Map<String, String> stagedCheckpoints = new LinkedHashMap<>();
  private final CommitLog log;
  private long sequence;
  private long bytesWritten;

  private ParquetSink(Builder b) {
    this.clock = b.clock;
    this.lake = new Lake(b.root, codec(b.compression), b.rowGroupBytes, b.pageBytes, b.clock);
    this.fixed = Map.copyOf(b.schemas);
    this.compactAfterCommit = b.compactAfterCommit;
    this.runStamp = lake.stampNow();
    this.log = new CommitLog(b.root);
  }

  /** Starts a builder; {@link Builder#root} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Stages a batch for a dataset in a hidden temporary file.
   *
   * @throws SinkException naming the dataset, the record's id, the field and the problem when a
   *     record does not fit the dataset's schema (nothing of the batch is staged then), or when the
   *     file cannot be written (then the staged batch must be {@link #abort() aborted})
   */
  @Override
  public void write(String dataset, List<ChangeEnvelope> batch) {
    Objects.requireNonNull(dataset, "dataset == null");
    Objects.requireNonNull(batch, "changes == null");
    if (batch.isEmpty()) {
      return;
    }
    DatasetState st = state(dataset);
    if (st.staged != null && st.poisoned) {
      throw new SinkException("Dataset '" + dataset + "': an earlier write failed; abort() before writing again", null);
    }
    Shape target = st.shape;
    for (ChangeEnvelope c : batch) {
      if (c.operation() != ChangeEnvelope.Operation.UPSERT) {
        continue;
      }
      try {
        if (fixed.containsKey(dataset)) {
          RowWriteSupport.check(target, c.record());
        } else if (!Shape.fits(target, c.record())) {
          for (String key : c.record().keys()) {
            if (key.startsWith(Columns.RESERVED_PREFIX)) {
              throw new IllegalArgumentException("field '" + key + "' starts with "
                  + Columns.RESERVED_PREFIX + ", which the Parquet sink keeps for its own columns");
            }
          }
          target = Shape.widen(target, Shape.inferRecord(c.record()));
        }
      } catch (IllegalArgumentException e) {
        throw new SinkException("Dataset '" + dataset + "', record '" + c.id() + "': " + e.getMessage()
            + "; nothing of this batch was staged", e);
      }
    }
    try {
      if (!target.equals(st.shape)) {
        reportWidening(dataset, st.shape, target);
        st.shape = target;
        if (st.staged != null) {
          restage(dataset, st);
        }
      }
      if (st.staged == null) {
        String base = nextBase(st);
        Path dir = lake.partitionNow(dataset);
        st.staged = lake.open(dir.resolve("." + base + ".parquet.tmp"), st.shape);
        st.stagedBase = base;
        st.poisoned = false;
      }
      for (ChangeEnvelope c : batch) {
        st.staged.write(c);
      }
    } catch (IOException | RuntimeException e) {
      st.poisoned = true;
      throw new SinkException("Dataset '" + dataset + "': cannot write a batch of " + batch.size()
          + " records to " + (st.staged == null ? lake.datasetDir(dataset) : st.staged.temp()) + ": " + e, e);
    }
  }

  /**
   * Renames each dataset's staged file into place, durably; with {@link
   * Builder#compactAfterCommit} then refreshes the snapshots of the datasets committed.
   *
   * @throws SinkException if a file cannot be finished or renamed; staged files not yet renamed
   *     are dropped
   */
  @Override
  public void commit() {
    List<String> committed = new ArrayList<>();
    List<CommitLog.Move> moves = new ArrayList<>();
    List<Runnable> bookkeeping = new ArrayList<>();
    try {
      for (Map.Entry<String, DatasetState> e : datasets.entrySet()) {
        DatasetState st = e.getValue();
        if (st.staged == null) {
          continue;
        }
        if (st.poisoned) {
          throw new IOException("an earlier write to dataset '" + e.getKey() + "' failed");
        }
        Lake.Writer w = st.staged;
        w.finish(Map.of());
        String hash = w.hash();
        if (st.hashes.contains(hash)) {
          LOG.info("Dataset '{}': a batch identical to one already committed was not committed again", e.getKey());
          Files.deleteIfExists(w.temp());
          st.staged = null;
          continue;
        }
        Path target = w.temp().resolveSibling(st.stagedBase + "-" + hash + ".parquet");
        long size = Files.size(w.temp());
        moves.add(new CommitLog.Move(w.temp(), target));
        String base = st.stagedBase;
        bookkeeping.add(() -> {
          bytesWritten += size;
          st.hashes.add(hash);
          st.lastBase = base;
          st.staged = null;
          committed.add(e.getKey());
        });
      }
      if (stagedCheckpoints.isEmpty()) {
        for (CommitLog.Move m : moves) {
          Lake.publish(m.from(), m.to());
        }
      } else {
        log.commit(moves, stagedCheckpoints);
      }
    } catch (CommitLog.CommittedException e) {
      // Committed: the next sink over the root finishes the renames; keep the files.
      bookkeeping.forEach(Runnable::run);
      stagedCheckpoints.clear();
      throw e;
    } catch (IOException | RuntimeException e) {
      abort();
      throw new SinkException("Cannot commit Parquet files under " + lake.root() + ": " + e, e);
    }
    bookkeeping.forEach(Runnable::run);
    stagedCheckpoints.clear();
    if (compactAfterCommit) {
      for (String dataset : committed) {
        compact(dataset);
      }
    }
  }

  /** True: checkpoints commit with the batch files (see the class comment). */
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

  /** Drops the staged files. */
  @Override
  public void abort() {
    for (DatasetState st : datasets.values()) {
      if (st.staged != null) {
        st.staged.abandon();
        st.staged = null;
      }
      st.poisoned = false;
    }
    stagedCheckpoints.clear();
  }

  /** The ids of a dataset's committed current state, read from its snapshot and change files. */
  @Override
  public Optional<Set<String>> currentIds(String dataset) {
    log.recover();
    try {
      return Optional.of(lake.currentIds(dataset));
    } catch (IOException e) {
      throw new SinkException("Dataset '" + dataset + "': cannot read the ids under " + lake.datasetDir(dataset) + ": " + e, e);
    }
  }

  /** The bytes of the change files this sink committed (snapshots not counted). */
  @Override
  public long bytesWritten() {
    return bytesWritten;
  }

  /** Drops what is staged. */
  @Override
  public void close() {
    abort();
  }

  /**
   * Writes a dataset's current snapshot ({@code ROOT/DATASET/current/snapshot.parquet}) from the
   * previous snapshot and the change files committed after it; staged batches are not included.
   *
   * @return the number of rows in the new snapshot, or -1 if the snapshot was already up to date
   * @throws SinkException if the files cannot be read or the snapshot written; the previous
   *     snapshot then stays as it was
   */
  public long compact(String dataset) {
    DatasetState st = state(dataset);
    try {
      long rows = lake.compact(dataset, st.shape);
      if (rows >= 0) {
        LOG.info("Dataset '{}': current snapshot rewritten with {} rows", dataset, rows);
      }
      return rows;
    } catch (IOException | RuntimeException e) {
      throw new SinkException("Dataset '" + dataset + "': cannot compact into " + lake.snapshot(dataset)
          + " (the previous snapshot is unchanged): " + e, e);
    }
  }

  /**
   * Compacts every dataset under the root.
   *
   * @throws SinkException as {@link #compact(String)}
   */
  public void compact() {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(lake.root())) {
      for (Path d : dirs) {
        String name = d.getFileName().toString();
        if (Files.isDirectory(d) && !name.startsWith(".")) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      throw new SinkException("Cannot list the datasets under " + lake.root() + ": " + e, e);
    }
    Collections.sort(names);
    names.forEach(this::compact);
  }

  /**
   * The changes this sink made to inferred schemas that existed before (a dataset's first schema
   * is not a change), oldest first.
   */
  public List<SchemaChange> schemaChanges() {
    return List.copyOf(changes);
  }

  /** The root folder. */
  public Path root() {
    return lake.root();
  }

  @Override
  public String toString() {
    return "ParquetSink(" + lake.root() + ")";
  }

  private DatasetState state(String dataset) {
    DatasetState st = datasets.get(dataset);
    if (st != null) {
      return st;
    }
    lake.datasetDir(dataset);
    st = new DatasetState();
    log.recover();
    try {
      lake.removeLeftovers(dataset);
      List<Path> files = lake.changeFiles(dataset);
      for (Path f : files) {
        st.hashes.add(Lake.hash(f.getFileName().toString()));
      }
      if (!files.isEmpty()) {
        st.lastBase = Lake.base(files.get(files.size() - 1).getFileName().toString());
      }
      if (fixed.containsKey(dataset)) {
        st.shape = fixed.get(dataset);
      } else {
        Shape shape = Shape.record(Map.of());
        Path snap = lake.snapshot(dataset);
        if (Files.exists(snap)) {
          shape = Shape.widen(shape, RowReader.shape(snap));
        }
        if (!files.isEmpty()) {
          shape = Shape.widen(shape, RowReader.shape(files.get(files.size() - 1)));
        }
        st.shape = shape;
      }
    } catch (IOException e) {
      throw new SinkException("Dataset '" + dataset + "': cannot read " + lake.datasetDir(dataset) + ": " + e, e);
    }
    datasets.put(dataset, st);
    return st;
  }

  private String nextBase(DatasetState st) {
    String base = runStamp + "-" + String.format("%06d", ++sequence);
    if (base.compareTo(st.lastBase) <= 0) {
      // The clock went back, or another run started in the same millisecond: keep name order.
      int dash = st.lastBase.lastIndexOf('-');
      base = st.lastBase.substring(0, dash + 1)
          + String.format("%06d", Long.parseLong(st.lastBase.substring(dash + 1)) + 1);
    }
    st.lastBase = base;
    return base;
  }

  /** Rewrites the staged file with the widened shape. */
  private void restage(String dataset, DatasetState st) throws IOException {
    Lake.Writer old = st.staged;
    old.finish(Map.of());
    Path temp = old.temp().resolveSibling("." + st.stagedBase + ".widened.parquet.tmp");
    Lake.Writer next = lake.open(temp, st.shape);
    try (RowReader r = RowReader.rows(old.temp(), dataset)) {
      for (ChangeEnvelope c = r.next(); c != null; c = r.next()) {
        next.write(c);
      }
    } catch (IOException | RuntimeException e) {
      next.abandon();
      throw e;
    }
    Files.deleteIfExists(old.temp());
    st.staged = next;
  }

  private void reportWidening(String dataset, Shape before, Shape after) {
    if (before.fields().isEmpty()) {
      LOG.info("Dataset '{}': schema inferred from the first records: {}", dataset, after);
      return;
    }
    List<String[]> diffs = new ArrayList<>();
    Shape.differences("", before, after, diffs);
    Instant now = clock.instant();
    for (String[] d : diffs) {
      SchemaChange change = new SchemaChange(dataset, d[0], d[1], d[2], now);
      changes.add(change);
      LOG.info("Schema change: {}", change);
    }
  }

  private static CompressionCodecName codec(Compression c) {
    switch (c) {
      case NONE:
        return CompressionCodecName.UNCOMPRESSED;
      case SNAPPY:
        return CompressionCodecName.SNAPPY;
      default:
        return CompressionCodecName.ZSTD;
    }
  }

  private static final class DatasetState {
    Shape shape;
    String lastBase = "";
    final Set<String> hashes = new HashSet<>();
    Lake.Writer staged;
    String stagedBase;
    boolean poisoned;
  }

  /** Builds a {@link ParquetSink}. */
  public static final class Builder {
    private Path root;
    private final Map<String, Shape> schemas = new LinkedHashMap<>();
    private Compression compression = Compression.ZSTD;
    private boolean compactAfterCommit;
    private long rowGroupBytes = 64L << 20;
    private int pageBytes = 1 << 20;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The folder that holds one folder per dataset; created when first written. Required. */
    public Builder root(Path root) {
      this.root = Objects.requireNonNull(root, "root == null");
      return this;
    }

    /**
     * The target schema of a dataset; records that do not fit it are refused. Datasets without one
     * get an inferred schema.
     *
     * @throws IllegalArgumentException if a field cannot be written to Parquet or a top-level
     *     field's name starts with {@code _sluice_}
     */
    public Builder schema(String dataset, XdmSchema schema) {
      Objects.requireNonNull(dataset, "dataset == null");
      Objects.requireNonNull(schema, "schema == null");
      for (XdmField f : schema.fields()) {
        if (f.name().startsWith(Columns.RESERVED_PREFIX)) {
          throw new IllegalArgumentException("schema of dataset '" + dataset + "': field '" + f.name()
              + "' starts with " + Columns.RESERVED_PREFIX + ", which the Parquet sink keeps for its own columns");
        }
      }
      schemas.put(dataset, Shape.of(schema.root()));
      return this;
    }

    /** The page compression; {@link Compression#ZSTD} by default. */
    public Builder compression(Compression compression) {
      this.compression = Objects.requireNonNull(compression, "compression == null");
      return this;
    }

    /** Whether each commit also refreshes the committed datasets' snapshots; off by default. */
    public Builder compactAfterCommit(boolean compactAfterCommit) {
      this.compactAfterCommit = compactAfterCommit;
      return this;
    }

    /**
     * The target size of a row group before compression (64 MiB by default); a writer holds about
     * this much per dataset in memory.
     *
     * @throws IllegalArgumentException if below 1 MiB
     */
    public Builder rowGroupBytes(long bytes) {
      if (bytes < (1 << 20)) {
        throw new IllegalArgumentException("rowGroupBytes " + bytes + " is below 1 MiB");
      }
      this.rowGroupBytes = bytes;
      return this;
    }

    /** The clock that dates partitions and names files; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Returns the sink.
     *
     * @throws IllegalStateException if no root was given
     */
    public ParquetSink build() {
      if (root == null) {
        throw new IllegalStateException("root is required: the folder that holds the datasets");
      }
      return new ParquetSink(this);
    }
  }
}
