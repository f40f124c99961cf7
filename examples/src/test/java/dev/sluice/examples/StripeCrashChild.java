package dev.sluice.examples;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.FlowRun;
import dev.sluice.core.Sink;
import dev.sluice.core.Sinks;
import dev.sluice.core.StateStores;
import dev.sluice.sink.jdbc.ColumnType;
import dev.sluice.sink.jdbc.JdbcSink;
import dev.sluice.sink.jdbc.TableSchema;
import dev.sluice.sink.parquet.ParquetSink;
import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.http.Throttle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The child JVM of {@link StripeCrashTest}: syncs the emulator's customers into one sink, with
 * checkpoints under {@code OUT/.sluice/state}, and with HALT &gt; 0 halts the JVM (no shutdown
 * hook, no finally: what {@code kill -9} does) the moment the HALT-th sink commit returns, before
 * the flow saves anything else.
 *
 * <p>{@code StripeCrashChild jsonl|parquet|jdbc OUT API_BASE JDBC_URL|- HALT}. Exits 0 when the run
 * succeeded, 1 otherwise.
 */
public final class StripeCrashChild {
  static final int BATCH = 50;
  static final String TABLE_PREFIX = "crash_";

  private StripeCrashChild() {}

  /** Runs one sync. */
  public static void main(String[] args) {
    String kind = args[0];
    Path out = Path.of(args[1]);
    String apiBase = args[2];
    String jdbcUrl = args[3];
    int halt = Integer.parseInt(args[4]);
    StripeConnection stripe = StripeConnection.builder().apiKey("sk_test_crash").apiBase(apiBase)
        .throttle(Throttle.none()).initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(50))
        .maxRetries(5).build();
    try (Sink sink = new HaltingSink(open(kind, out, jdbcUrl), halt)) {
      FlowRun run = stripe.source("customers").withSettle(java.time.Duration.ZERO).into(sink)
          .stateStore(StateStores.directory(out.resolve(".sluice/state")))
          .batchSize(BATCH).build().runOnce();
      System.out.println(run.status() + " read=" + run.recordsRead() + " written=" + run.recordsWritten()
          + (run.failureMessage() == null ? "" : " " + run.failureMessage()));
      System.out.flush();
      System.exit(run.succeeded() ? 0 : 1);
    }
  }

  static Sink open(String kind, Path out, String jdbcUrl) {
    switch (kind) {
      case "jsonl":
        return Sinks.jsonLines(out);
      case "parquet":
        return ParquetSink.builder().root(out).build();
      case "jdbc":
        return JdbcSink.builder().url(jdbcUrl, null, null).tablePrefix(TABLE_PREFIX)
            .table("customers", TableSchema.builder()
                .column("name", ColumnType.STRING)
                .column("email", ColumnType.STRING)
                .column("balance", ColumnType.LONG)
                .column("created", ColumnType.LONG)
                .build())
            .ignoreUnknownFields(true)
            .build();
      default:
        throw new IllegalArgumentException("sink kind must be jsonl, parquet or jdbc, was " + kind);
    }
  }

  /** A sink that halts the JVM right after its n-th commit returned (never when n is 0). */
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
        System.out.println("halting right after commit " + commits);
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
    public void stageCheckpoints(Map<String, String> checkpoints) {
      sink.stageCheckpoints(checkpoints);
    }

    @Override
    public Optional<String> checkpoint(String key) {
      return sink.checkpoint(key);
    }

    @Override
    public Optional<java.util.Set<String>> currentIds(String dataset) {
      return sink.currentIds(dataset);
    }

    @Override
    public void close() {
      sink.close();
    }
  }
}
