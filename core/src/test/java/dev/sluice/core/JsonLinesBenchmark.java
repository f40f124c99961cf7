package dev.sluice.core;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Not a test: pushes synthetic records through a {@link Flow} into JSON Lines and prints the time
 * and the peak heap. Run it with a small heap to show that a flow streams:
 *
 * <pre>
 * mvn -B -q -pl core -am test-compile
 * (cd core &amp;&amp; mvn -B -q dependency:build-classpath -Dmdep.outputFile=/tmp/core-cp.txt)
 * java -Xmx256m -cp core/target/test-classes:core/target/classes:xdm-mapping/target/classes:$(cat /tmp/core-cp.txt) \
 *     dev.sluice.core.JsonLinesBenchmark /tmp/bench 1000000
 * </pre>
 */
public final class JsonLinesBenchmark {
  private JsonLinesBenchmark() {}

  /** Arguments: output folder (must not exist or be empty), number of records (default 1,000,000). */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
    int total = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Files.createDirectories(out);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long[] sampledPeak = {memory.getHeapMemoryUsage().getUsed()};
    FlowListener sampler = new FlowListener() {
      @Override
      public void progress(Flow flow, String runId, long read, long written) {
        sampledPeak[0] = Math.max(sampledPeak[0], memory.getHeapMemoryUsage().getUsed());
      }
    };
    long start = System.nanoTime();
    FlowRun run;
    try (Sink sink = Sinks.jsonLines(out)) {
      run = Flow.builder().source(new CrashChild.SyntheticSource(total, 100)).into(sink)
          .stateStore(StateStores.directory(out.resolve(".sluice/state"))).listener(sampler)
          .build().runOnce();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long poolPeaks = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        poolPeaks += pool.getPeakUsage().getUsed();
      }
    }
    long max = memory.getHeapMemoryUsage().getMax();
    System.out.printf(Locale.ROOT, "%s: %,d records read, %,d written, %,d bytes in %.1f s (%,.0f records/s)%n",
        run.status(), run.recordsRead(), run.recordsWritten(), run.bytesWritten(), seconds,
        run.recordsWritten() / seconds);
    System.out.printf(Locale.ROOT, "heap: max %d MiB; peak used sampled at commits %d MiB;"
        + " sum of heap pool peaks %d MiB%n", max >> 20, sampledPeak[0] >> 20, poolPeaks >> 20);
  }
}
