package dev.sluice.benchmarks;

import com.stripe.StripeClient;
import com.stripe.model.Charge;
import com.stripe.param.ChargeListParams;
import dev.sluice.stripe.SourceConnection;
import dev.sluice.stripe.StripeConnection;
import dev.sluice.testkit.StripeEmulator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads charges from the emulator set to Stripe-like latency and rate limit, and reports
 * records/s as a fraction of the ceiling (requests/s × 100 records a page), for the parallel
 * backfill, a serial reader, and stripe-java's {@code autoPagingIterable}, with peak heap.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.ReaderBenchmark [records=100000] [latencyMs=300] [rps=25] [serialRecords=10000] [apiBase]
 * </pre>
 *
 * <p>With {@code apiBase}, the parallel backfill reads from an emulator started apart (so the peak
 * heap is Sluice's alone): {@code java -jar stripe-testkit/target/stripe-emulator.jar --port 12111
 * --seed 1 --objects 100000 --latency-ms 300 --rate-limit 25}.
 */
public final class ReaderBenchmark {
  private ReaderBenchmark() {}

  /**
   * Runs the three readers and prints one line each.
   *
   * @param args optional, in this order: records for the parallel backfill (default 100000),
   *     latency in ms (300), requests per second (25), records for the two serial readers (10000),
   *     and the API base of an emulator started apart
   */
  public static void main(String[] args) {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int latencyMs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    double rps = args.length > 2 ? Double.parseDouble(args[2]) : 25;
    int serialRecords = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
    String external = args.length > 4 ? args[4] : null;
    double ceiling = rps * 100;
    System.out.printf(Locale.ROOT, "emulator: %d charges, %d ms latency, %.0f requests/s; ceiling %.0f records/s%n",
        records, latencyMs, rps, ceiling);

    try (StripeEmulator big = StripeEmulator.builder().seed(1).objectsPerResource(external != null ? 10 : records).build().start();
        StripeEmulator small = StripeEmulator.builder().seed(1).objectsPerResource(serialRecords).build().start()) {
      for (StripeEmulator e : new StripeEmulator[] {big, small}) {
        e.faults().latency(Duration.ofMillis(latencyMs)).rateLimit(rps, (int) Math.max(1, rps));
      }
      String bigBase = external != null ? external : big.baseUrl();
      report("sluice parallel backfill (10 workers)" + (external != null ? ", external emulator" : ""),
          records, ceiling, () -> sluice(bigBase, 10, rps));
      report("sluice serial reader", serialRecords, ceiling, () -> sluice(small.baseUrl(), 1, rps));
      report("stripe-java autoPagingIterable", serialRecords, ceiling, () -> stripeJava(small, serialRecords));
      long throttled = big.requests().stream().filter(r -> r.status() == 429).count()
          + small.requests().stream().filter(r -> r.status() == 429).count();
      System.out.println("429 answers seen (last 10,000 requests of each emulator): " + throttled);
    }
  }

  interface Run {
    long run();
  }

  static void report(String name, long expected, double ceiling, Run run) {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long start = System.nanoTime();
    long read = run.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    double rate = read / seconds;
    System.out.printf(Locale.ROOT, "%-40s %8d records in %7.1f s = %7.0f records/s = %5.1f %% of ceiling; peak heap %d MiB%s%n",
        name, read, seconds, rate, 100 * rate / ceiling, peak >> 20, read == expected ? "" : " (EXPECTED " + expected + ")");
  }

  static long sluice(String apiBase, int parallelism, double rps) {
    // The client keeps to the server's limit, as it keeps to Stripe's (25/s for a test key).
    StripeConnection connection = StripeConnection.builder().apiKey("sk_test_bench").apiBase(apiBase)
        .throttle(dev.sluice.stripe.http.Throttle.builder().requestsPerSecond(rps).perEndpointPerSecond(rps).build())
        .maxRetries(10).build();
    SourceConnection source = connection.source("charges").withParallelism(parallelism);
    AtomicLong count = new AtomicLong();
    Set<String> ids = new HashSet<>();
    source.read(null, page -> page.changes().forEach(c -> {
      count.incrementAndGet();
      ids.add(c.id());
    }));
    if (ids.size() != count.get()) {
      throw new IllegalStateException("duplicates: " + count.get() + " read, " + ids.size() + " distinct");
    }
    return count.get();
  }

  static long stripeJava(StripeEmulator emulator, int expected) {
    StripeClient client = StripeClient.builder().setApiKey("sk_test_bench").setApiBase(emulator.baseUrl())
        .setMaxNetworkRetries(5).build();
    long count = 0;
    try {
      for (Charge charge : client.v1().charges().list(ChargeListParams.builder().setLimit(100L).build())
          .autoPagingIterable()) {
        count++;
      }
    } catch (com.stripe.exception.StripeException e) {
      throw new IllegalStateException(e);
    }
    return count;
  }
}
