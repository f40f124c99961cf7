package dev.sluice.core;

import dev.sluice.xdm.DataRecord;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link CrashTest}: runs one flow of {@code total} synthetic records into JSON
 * Lines under {@code out}, checkpoints under {@code out/.sluice/state}. Exits 0 when the run
 * succeeded, 1 otherwise. Also usable by hand: {@code CrashChild OUT TOTAL PAGE BATCH [HALT]}: with
 * HALT &gt; 0 the JVM halts (as {@code kill -9} would stop it) the moment the HALT-th sink commit
 * returns, before the flow does anything else.
 */
public final class CrashChild {
  private CrashChild() {}

  /** The record with index i: exact integers past 64 bits, nulls, text. */
  static DataRecord record(int i) {
    return DataRecord.builder()
        .put("id", id(i))
        .put("n", (long) i)
        .put("amount", BigInteger.ONE.shiftLeft(70).add(BigInteger.valueOf(i)))
        .put("note", i % 7 == 0 ? null : "record " + i)
        .build();
  }

  static String id(int i) {
    return String.format("rec_%06d", i);
  }

  /** A deterministic source of {@code total} records in pages; its checkpoint is the offset. */
  static final class SyntheticSource implements ChangeSource {
    private final int total;
    private final int pageSize;

    SyntheticSource(int total, int pageSize) {
      this.total = total;
      this.pageSize = pageSize;
    }

    @Override
    public String dataset() {
      return "things";
    }

    @Override
    public void read(String checkpoint, PageConsumer consumer) {
      int offset = checkpoint == null ? 0 : Integer.parseInt(checkpoint);
      while (offset < total) {
        int end = Math.min(total, offset + pageSize);
        List<ChangeEnvelope> page = new ArrayList<>(end - offset);
        for (int i = offset; i < end; i++) {
          page.add(ChangeEnvelope.upsert("things", id(i), Instant.ofEpochSecond(1_700_000_000L + i), record(i)));
        }
        offset = end;
        consumer.accept(new Page(page, String.valueOf(offset), 1, 0));
      }
    }
  }

  /** Runs the flow. */
  public static void main(String[] args) {
    Path out = Path.of(args[0]);
    int total = Integer.parseInt(args[1]);
    int page = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    int halt = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    try (Sink sink = halt > 0 ? new HaltingSink(Sinks.jsonLines(out), halt) : Sinks.jsonLines(out)) {
      FlowRun run = Flow.builder().source(new SyntheticSource(total, page)).into(sink)
          .stateStore(StateStores.directory(out.resolve(".sluice/state"))).batchSize(batch)
          .build().runOnce();
      System.out.println(run.status() + " read=" + run.recordsRead() + " written=" + run.recordsWritten()
          + (run.failureMessage() == null ? "" : " " + run.failureMessage()));
      System.exit(run.succeeded() ? 0 : 1);
    }
  }

  /** A sink that halts the JVM right after its n-th commit returned. */
  static final class HaltingSink implements Sink {
    private final Sink sink;
    private final int haltAfter;
    private int commits;

    HaltingSink(Sink sink, int haltAfter) {
      this.sink = sink;
      this.haltAfter = haltAfter;
    }

    @Override
    public void write(String dataset, List<ChangeEnvelope> changes) {
      sink.write(dataset, changes);
    }

    @Override
    public void commit() {
      sink.commit();
      if (++commits == haltAfter) {
        System.out.println("halting after commit " + commits);
        System.out.flush();
        Runtime.getRuntime().halt(137);
      }
    }

    @Override
    public void abort() {
      sink.abort();
    }

    @Override
    public boolean storesCheckpoints() {
      return sink.storesCheckpoints();
    }

    @Override
    public void stageCheckpoints(java.util.Map<String, String> checkpoints) {
      sink.stageCheckpoints(checkpoints);
    }

    @Override
    public java.util.Optional<String> checkpoint(String key) {
      return sink.checkpoint(key);
    }

    @Override
    public void close() {
      sink.close();
    }
  }
}
