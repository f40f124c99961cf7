package dev.sluice.examples;

import dev.sluice.core.FlowRun;
import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The main job's {@code --out} directory and what it knows about itself, under {@code .sluice/}:
 *
 * <ul>
 *   <li>{@code source.json}: the Stripe source its data came from (API base, account, mode), so
 *       a sync from another source is refused instead of mixing two accounts' data;
 *   <li>{@code lock}: held (an OS file lock, released when its process dies) by the run using
 *       the directory, and naming it (pid, start time), so a second run stays out;
 *   <li>{@code run.json}: the run under way; still there at the next start, it means that run was
 *       killed, and the next one records it in the run log as interrupted;
 *   <li>{@code runs.jsonl}: one line per resource run.
 * </ul>
 */
final class OutputDirectory implements AutoCloseable {
  private final Path root;
  private final Path meta;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private OutputDirectory(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.meta = root.resolve(".sluice");
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** The Stripe source a directory's data belongs to. Holds no secret. */
  record Identity(String apiBase, String account, String mode) {
    Identity {
      Objects.requireNonNull(apiBase, "apiBase == null");
      Objects.requireNonNull(mode, "mode == null");
    }

    DataRecord toRecord() {
      return DataRecord.builder().put("api_base", apiBase).put("account", account)
          .put("mode", mode).build();
    }

    static Identity fromRecord(DataRecord r) {
      return new Identity(r.getString("api_base"), r.getString("account"), r.getString("mode"));
    }

    @Override
    public String toString() {
      return apiBase + (account == null ? "" : " account " + account) + ", " + mode + " mode";
    }
  }

  /**
   * Opens the directory for one run, taking its lock.
   *
   * @throws CommandLine.UsageException naming the holder when another run holds the lock
   */
  static OutputDirectory open(Path root) {
    Path meta = root.resolve(".sluice");
    try {
      Files.createDirectories(meta);
    } catch (IOException e) {
      throw new CommandLine.UsageException("cannot create " + meta + ": " + e.getMessage()
          + " (choose another --out)");
    }
    Path lockFile = meta.resolve("lock");
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by another run in this same JVM
      }
      if (lock == null) {
        String holder = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
        channel.close();
        throw new CommandLine.UsageException(root + " is in use by another sync ("
            + (holder.isEmpty() ? "holder unknown" : holder) + "): wait for it to end, or sync"
            + " into another --out");
      }
      ProcessHandle self = ProcessHandle.current();
      String holder = "pid " + self.pid() + ", started "
          + self.info().startInstant().map(Instant::toString).orElse("at an unknown time");
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return new OutputDirectory(root, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new CommandLine.UsageException("cannot lock " + lockFile + ": " + e.getMessage());
    }
  }

  /** The directory. */
  Path root() {
    return root;
  }

  /** Where checkpoints are mirrored: {@code .sluice/state}. */
  Path stateDir() {
    return meta.resolve("state");
  }

  /**
   * Checks that the data here came from {@code identity}, recording it when the directory has
   * none yet or when {@code takeOver} (a full refresh) replaces another source's data.
   *
   * @throws CommandLine.UsageException when the directory holds another source's data
   */
  void claim(Identity identity, boolean takeOver) {
    Path file = meta.resolve("source.json");
    if (Files.exists(file) && !takeOver) {
      Identity recorded;
      try {
        recorded = Identity.fromRecord(DataRecord.fromJson(Files.readString(file)));
      } catch (IOException | RuntimeException e) {
        throw new CommandLine.UsageException(file + " cannot be read (" + e.getMessage()
            + "): delete it if this directory holds data of " + identity);
      }
      if (!recorded.equals(identity)) {
        throw new CommandLine.UsageException(root + " holds data of another Stripe source ("
            + recorded + ", not " + identity + "): sync into another --out, or pass"
            + " --full-refresh to replace that data");
      }
      return;
    }
    writeAtomically(file, identity.toRecord().toJson() + "\n");
  }

  /**
   * Records the start of a run; first, if the previous run never ended (killed), appends it to
   * the run log as interrupted and returns its id, else null.
   */
  String begin(String runId, Instant startedAt) {
    Path marker = meta.resolve("run.json");
    String interrupted = null;
    if (Files.exists(marker)) {
      try {
        DataRecord previous = DataRecord.fromJson(Files.readString(marker));
        interrupted = previous.getString("run_id");
        appendRunLog(DataRecord.builder().put("run_id", interrupted)
            .put("flow_id", previous.getString("resources"))
            .put("status", "interrupted")
            .put("started_at", previous.getString("started_at"))
            .put("ended_at", null)
            .put("error", "the run ended without recording itself (killed, or the machine"
                + " stopped); this run goes on from its last checkpoint")
            .build());
      } catch (IOException | RuntimeException e) {
        interrupted = "unknown";
      }
    }
    writeAtomically(marker, DataRecord.builder().put("run_id", runId)
        .put("started_at", startedAt.toString()).put("pid", ProcessHandle.current().pid())
        .build().toJson() + "\n");
    return interrupted;
  }

  /** Records that the run ended (whatever its outcome): the next start finds no marker. */
  void end() {
    try {
      Files.deleteIfExists(meta.resolve("run.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends one resource run to {@code runs.jsonl}. */
  void appendRunLog(FlowRun run) {
    appendRunLog(DataRecord.builder()
        .put("run_id", run.runId())
        .put("flow_id", run.flowId())
        .put("status", run.status().name().toLowerCase(Locale.ROOT))
        .put("started_at", run.startedAt().toString())
        .put("ended_at", run.endedAt() == null ? null : run.endedAt().toString())
        .put("records_read", run.recordsRead())
        .put("records_written", run.recordsWritten())
        .put("records_failed", run.recordsFailed())
        .put("pages", run.pages())
        .put("requests", run.requests())
        .put("full_refresh", run.fullRefresh())
        .put("error", run.failureMessage())
        .build());
  }

  private void appendRunLog(DataRecord line) {
    try {
      Files.writeString(meta.resolve("runs.jsonl"), line.toJson() + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the run log in " + meta, e);
    }
  }

  private static void writeAtomically(Path file, String text) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Releases the lock. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // the channel's close below releases it too
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing more to release
      }
    }
  }
}
