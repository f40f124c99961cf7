package dev.sluice.sink.parquet;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.Sink;
import dev.sluice.core.Sinks;
import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Not a test: writes synthetic charge-like records to Parquet (zstd and snappy) and to JSON Lines,
 * in batches of 1,000 committed every 100,000 records, and prints size on disk and write speed.
 *
 * <pre>
 * mvn -B -q -o install -DskipTests -pl sink-parquet -am
 * (cd sink-parquet &amp;&amp; mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/pq-cp.txt -Dmdep.includeScope=test)
 * java -Xmx1g -cp sink-parquet/target/test-classes:sink-parquet/target/classes:$(cat /tmp/pq-cp.txt) \
 *     dev.sluice.sink.parquet.ParquetBenchmark /tmp/pq-bench 1000000
 * </pre>
 */
public final class ParquetBenchmark {
  private ParquetBenchmark() {}

  /** Arguments: an output folder (its contents are replaced), the number of records. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
    int total = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    System.out.printf(Locale.ROOT, "%,d charge-like records%n", total);
    // A warm-up round so that the JIT does not count against the first sink measured.
    run("warm-up", ParquetSink.builder().root(fresh(out.resolve("warmup"))).build(), out.resolve("warmup"), 50_000, false);
    run("JSON Lines", Sinks.jsonLines(fresh(out.resolve("jsonl"))), out.resolve("jsonl"), total, true);
    run("Parquet zstd", ParquetSink.builder().root(fresh(out.resolve("zstd"))).compression(Compression.ZSTD).build(),
        out.resolve("zstd"), total, true);
    run("Parquet snappy", ParquetSink.builder().root(fresh(out.resolve("snappy"))).compression(Compression.SNAPPY).build(),
        out.resolve("snappy"), total, true);
  }

  private static void run(String name, Sink sink, Path dir, int total, boolean print) throws IOException {
    long start = System.nanoTime();
    List<ChangeEnvelope> batch = new ArrayList<>(1000);
    for (int i = 0; i < total; i++) {
      batch.add(ChangeEnvelope.upsert("charges", "ch_" + i, Instant.ofEpochSecond(1_700_000_000L + i), charge(i)));
      if (batch.size() == 1000) {
        sink.write("charges", batch);
        batch = new ArrayList<>(1000);
      }
      if ((i + 1) % 100_000 == 0) {
        sink.commit();
      }
    }
    sink.write("charges", batch);
    sink.commit();
    double seconds = (System.nanoTime() - start) / 1e9;
    long bytes = size(dir);
    sink.close();
    if (print) {
      System.out.printf(Locale.ROOT, "%-15s %8.1f MB on disk  %6.1f s  %,9.0f records/s  %5.1f bytes/record%n",
          name, bytes / 1e6, seconds, total / seconds, (double) bytes / total);
    }
  }

  /** A charge with Stripe's usual fields, some nested, some null, values varying like real data. */
  static DataRecord charge(int i) {
    String[] currencies = {"usd", "eur", "sek", "krw", "cny"};
    String[] statuses = {"succeeded", "succeeded", "succeeded", "pending", "failed"};
    String[] methods = {"card", "klarna", "afterpay_clearpay", "affirm", "zip"};
    long amount = 500 + (i * 7919L) % 250_000;
    return DataRecord.builder()
        .put("id", "ch_3Q" + Integer.toString(i, 36) + "x" + Integer.toString(i * 31 + 7, 36))
        .put("object", "charge")
        .put("amount", amount)
        .put("amount_captured", amount)
        .put("amount_refunded", i % 10 == 0 ? amount / 2 : 0L)
        .put("application_fee_amount", null)
        .put("balance_transaction", "txn_" + Integer.toString(i * 13 + 1, 36))
        .put("billing_details", DataRecord.builder()
            .put("address", DataRecord.builder().put("city", i % 3 == 0 ? "Malmö" : "Seoul")
                .put("country", i % 3 == 0 ? "SE" : "KR").put("line1", null).put("postal_code", "2" + (i % 1000)).build())
            .put("email", "customer" + (i % 50_000) + "@example.com")
            .put("name", null)
            .build())
        .put("captured", true)
        .put("created", 1_700_000_000L + i)
        .put("currency", currencies[i % currencies.length])
        .put("customer", i % 4 == 0 ? null : "cus_" + Integer.toString(i % 50_000, 36))
        .put("description", "Order #" + i)
        .put("livemode", false)
        .put("metadata", DataRecord.builder().put("order_id", "ord_" + i).build())
        .put("outcome", DataRecord.builder()
            .put("network_status", "approved_by_network").put("reason", null)
            .put("risk_level", "normal").put("risk_score", (long) (i % 100))
            .put("seller_message", "Payment complete.").put("type", "authorized").build())
        .put("paid", true)
        .put("payment_intent", "pi_" + Integer.toString(i * 17 + 3, 36))
        .put("payment_method_details", DataRecord.builder().put("type", methods[i % methods.length]).build())
        .put("refunded", false)
        .put("status", statuses[i % statuses.length])
        .build();
  }

  private static Path fresh(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
    return dir;
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
