package dev.sluice.sink.parquet;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.xdm.DataRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link CompactionKillTest}: round after round, upserts every one of {@code ids}
 * records with the round's number into dataset {@code things} under {@code root}, commits, and
 * compacts, forever (until killed). Prints {@code compacted N} after each round's compaction.
 * {@code CompactionChild ROOT IDS}.
 */
public final class CompactionChild {
  private CompactionChild() {}

  static String id(int i) {
    return String.format("t_%06d", i);
  }

  /** Runs rounds until killed. */
  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    int ids = Integer.parseInt(args[1]);
    try (ParquetSink sink = ParquetSink.builder().root(root).build()) {
      for (long round = System.currentTimeMillis(); ; round++) {
        List<ChangeEnvelope> batch = new ArrayList<>(ids);
        for (int i = 0; i < ids; i++) {
          batch.add(ChangeEnvelope.upsert("things", id(i), Instant.ofEpochSecond(1_700_000_000L + i),
              DataRecord.builder().put("id", id(i)).put("round", round).put("n", (long) i).build()));
        }
        sink.write("things", batch);
        sink.commit();
        sink.compact("things");
        System.out.println("compacted " + round);
        System.out.flush();
      }
    }
  }
}
