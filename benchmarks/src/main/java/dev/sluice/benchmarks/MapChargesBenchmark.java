package dev.sluice.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Maps charge lines with Sluice, JSLT and JOLT; one operation is one record, JSON text in and
 * JSON text out, so the score is records per second. The subclasses fix the thread count.
 *
 * <p>At setup the charges are generated once per fork from the Stripe emulator and every line is
 * mapped by all three engines and compared ({@link Equivalence}); a difference stops the run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class MapChargesBenchmark {

  /** The charge lines and the engines, shared by all threads of a fork. */
  @State(Scope.Benchmark)
  public static class Data {
    /** How many charges to generate. */
    @Param("1000")
    public int charges;

    /** The emulator's seed. */
    @Param("1")
    public long seed;

    String[] lines;
    Engines.Engine sluice;
    Engines.Engine jslt;
    Engines.Engine jolt;

    /** Generates the lines, builds the engines and checks that they agree on every line. */
    @Setup(Level.Trial)
    public void setUp() {
      List<String> generated = ChargeLines.generate(seed, charges);
      lines = generated.toArray(new String[0]);
      sluice = Engines.sluice();
      jslt = Engines.jslt();
      jolt = Engines.jolt();
      Equivalence.check(generated, List.of("sluice", "jslt", "jolt"), List.of(sluice, jslt, jolt));
    }
  }

  /** Each thread walks the lines from its own position. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    String line(Data data) {
      String line = data.lines[next];
      next = next + 1 == data.lines.length ? 0 : next + 1;
      return line;
    }
  }

  /** Sluice: {@code Mapping.applyJson}, JSON text straight to JSON text (see {@link Engines#sluice()}). */
  @Benchmark
  public String sluice(Data data, Cursor cursor) {
    return data.sluice.map(cursor.line(data));
  }

  /** JSLT on Jackson trees, nulls kept. */
  @Benchmark
  public String jslt(Data data, Cursor cursor) {
    return data.jslt.map(cursor.line(data));
  }

  /** JOLT shift on JsonUtils maps. */
  @Benchmark
  public String jolt(Data data, Cursor cursor) {
    return data.jolt.map(cursor.line(data));
  }
}
