package dev.sluice.sink.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sink.parquet.internal.Lake;
import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction killed with {@code kill -9} while it writes the new snapshot, again and again: each
 * time, {@code current/} still holds a readable snapshot with every id once (the previous one,
 * until a new one replaced it), and the next compaction catches up with every change.
 */
class CompactionKillTest {
  static final int IDS = 10_000;
  static final int KILLS = 4;

  @TempDir Path root;

  Process start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        CompactionChild.class.getName(), root.toString(), String.valueOf(IDS));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolveSibling(root.getFileName() + "-child.log").toFile()));
    return pb.start();
  }

  Path snapshot() {
    return root.resolve("things").resolve(Lake.CURRENT).resolve(Lake.SNAPSHOT);
  }

  Path compacting() {
    return root.resolve("things").resolve(Lake.CURRENT).resolve("." + Lake.SNAPSHOT + ".tmp");
  }

  /** Waits, with a deadline, until the child is writing a new snapshot over an existing one. */
  void awaitCompactionInProgress(Process child) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(snapshot()) && Files.exists(compacting()))) {
      assertThat(child.isAlive()).as("child alive").isTrue();
      assertThat(System.nanoTime()).as("a compaction started in time").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // poll the condition
    }
  }

  long rounds(List<DataRecord> rows) {
    return rows.stream().map(r -> r.get("round")).distinct().count();
  }

  @Test
  void killedWhileCompactingTheSnapshotStaysReadable() throws Exception {
    for (int kill = 0; kill < KILLS; kill++) {
      Process child = start();
      awaitCompactionInProgress(child);
      child.destroyForcibly();
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();

      assertThat(snapshot()).as("after kill %d", kill + 1).exists();
      List<DataRecord> rows = DuckDb.query("SELECT id, round FROM read_parquet('"
          + root.resolve("things/current/*.parquet") + "')");
      assertThat(rows).as("one row per id").hasSize(IDS);
      assertThat(rows.stream().map(r -> r.getString("id")).distinct().count()).isEqualTo(IDS);
      assertThat(rounds(rows)).as("a snapshot is one round's state, not a mix").isEqualTo(1);
    }

    try (ParquetSink sink = ParquetSink.builder().root(root).build()) {
      sink.compact("things");
    }
    List<DataRecord> changes = DuckDb.query("SELECT max(round) AS last FROM read_parquet('"
        + root.resolve("things") + "/ingest_date=*/*.parquet')");
    List<DataRecord> rows = DuckDb.query("SELECT id, round FROM read_parquet('"
        + root.resolve("things/current/*.parquet") + "')");
    assertThat(rows).hasSize(IDS);
    assertThat(rows).allSatisfy(r -> assertThat(r.get("round")).isEqualTo(changes.get(0).get("last")));
    try (var files = Files.list(root.resolve("things").resolve(Lake.CURRENT))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(Lake.SNAPSHOT);
    }
  }
}
