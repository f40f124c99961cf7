package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.internal.JsonLinesState;
import dev.sluice.xdm.DataRecord;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a flow in a child JVM, kills it hard several times while the sink holds some but not all
 * records (at random moments, and right after a sink commit, before the flow does anything else),
 * lets it finish, and checks that every record is in the files exactly once and the current state
 * has every id with the right values. Seeded: rerun a failure with {@code -Dsluice.crash.seed=N}.
 */
class CrashTest {
  static final int TOTAL = 50_000;
  static final int PAGE = 250;
  static final int BATCH = 500;
  static final int KILLS = 4;

  @TempDir Path out;

  Process start() throws IOException {
    return start(0);
  }

  /** Starts the child; with {@code haltAfter} > 0 it halts right after that many sink commits. */
  Process start(int haltAfter) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
        CrashChild.class.getName(), out.toString(), String.valueOf(TOTAL), String.valueOf(PAGE),
        String.valueOf(BATCH), String.valueOf(haltAfter));
    pb.redirectErrorStream(true);
    pb.redirectOutput(out.resolveSibling(out.getFileName() + "-child.log").toFile());
    return pb.start();
  }

  long committedFiles() throws IOException {
    try (Stream<Path> files = Files.list(out.resolve("things"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jsonl")
          && !p.getFileName().toString().startsWith(".")).count();
    }
  }

  @Test
  void killedSeveralTimesThenFinishedEveryIdIsThereOnceWithItsValues() throws Exception {
    long seed = Long.getLong("sluice.crash.seed", System.nanoTime());
    System.out.println("CrashTest seed " + seed + " (rerun with -Dsluice.crash.seed=" + seed + ")");
    Random random = new Random(seed);
    Files.createDirectories(out.resolve("things"));
    int batches = TOTAL / BATCH;
    int kills = 0;
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      out.resolve("things").register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      for (int attempt = 0; attempt < KILLS; attempt++) {
        long before = committedFiles();
        long remaining = batches - before;
        if (remaining < 3) {
          break;
        }
        long target = before + 1 + random.nextInt((int) Math.min(remaining - 2, batches / KILLS));
        Process child = start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (committedFiles() < target && child.isAlive()) {
          assertThat(System.nanoTime()).as("no progress to %d files", target).isLessThan(deadline);
          var key = watch.poll(100, TimeUnit.MILLISECONDS);
          if (key != null) {
            key.pollEvents();
            key.reset();
          }
        }
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
        long after = committedFiles();
        System.out.println("CrashTest kill " + (attempt + 1) + ": aimed at " + target
            + " committed files, killed at " + after + " of " + batches + " batches");
        assertThat(after).as("killed after everything was written").isLessThan(batches);
        kills++;
      }
    }
    assertThat(kills).as("kills that happened mid-run").isGreaterThanOrEqualTo(2);

    Process last = start();
    assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(last.exitValue()).as(Files.readString(out.resolveSibling(out.getFileName() + "-child.log"))).isZero();

    assertExactlyOnce();
  }

  @Test
  void haltedRightAfterCommitsThenFinishedEveryLineIsWrittenOnce() throws Exception {
    long seed = Long.getLong("sluice.crash.seed", System.nanoTime());
    System.out.println("CrashTest seed " + seed + " (rerun with -Dsluice.crash.seed=" + seed + ")");
    Random random = new Random(seed);
    int batches = TOTAL / BATCH;
    long committed = 0;
    for (int attempt = 0; attempt < KILLS; attempt++) {
      // Each child starts where the last one's sink commit left it, and halts right after a commit.
      int haltAfter = 1 + random.nextInt(batches / (KILLS + 1));
      Process child = start(haltAfter);
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child halted in time").isTrue();
      assertThat(child.exitValue()).as(log()).isEqualTo(137);
      committed += haltAfter;
      assertThat(committedFiles()).as("files after %d halts", attempt + 1).isEqualTo(committed);
    }
    Process last = start();
    assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(last.exitValue()).as(log()).isZero();
    assertThat(committedFiles()).isEqualTo(batches);
    assertExactlyOnce();
  }

  private String log() throws IOException {
    return Files.readString(out.resolveSibling(out.getFileName() + "-child.log"));
  }

  private void assertExactlyOnce() throws IOException {
    Map<String, DataRecord> state = JsonLinesState.read(out, "things");
    assertThat(state).hasSize(TOTAL);
    for (int i = 0; i < TOTAL; i++) {
      assertThat(state.get(CrashChild.id(i))).as(CrashChild.id(i)).isEqualTo(CrashChild.record(i));
    }
    long lines = 0;
    try (Stream<Path> files = Files.list(out.resolve("things"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        try (Stream<String> l = Files.lines(f)) {
          lines += l.count();
        }
      }
    }
    // The checkpoint commits with its batch: whatever the moment of the kill, no batch is written
    // twice and no line is lost.
    assertThat(lines).as("lines for %d ids", TOTAL).isEqualTo(TOTAL);
    try (Stream<Path> files = Files.list(out.resolve("things"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
    assertThat(List.of(new File(out.resolve(".sluice/state").toString()).list())).contains("things.json");
  }
}
