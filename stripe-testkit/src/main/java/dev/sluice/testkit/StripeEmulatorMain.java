package dev.sluice.testkit;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the Stripe emulator from the command line:
 *
 * <pre>
 * java -jar stripe-emulator.jar --port 12111 [--seed 42] [--objects 10000]
 *     [--https] [--latency-ms 50] [--rate-limit 25]
 * </pre>
 *
 * <p>{@code --https} serves TLS with a self-signed certificate made at start (clients must be told
 * to trust it; in-process tests use {@link StripeEmulator#trustManager()}), {@code --latency-ms}
 * delays every answer, {@code --rate-limit} answers 429 {@code rate_limit} past that many requests
 * per second (burst of the same size).
 *
 * <p>Once it listens it prints one line, {@code Stripe emulator listening on
 * http://127.0.0.1:12111}, and serves until the process is killed. A bad flag prints a one-line
 * error to standard error and exits with status 2.
 */
public final class StripeEmulatorMain {
  private StripeEmulatorMain() {}

  /**
   * Starts the emulator with the flags given and blocks until the process is stopped.
   *
   * @param args {@code --port P} (required; 0 for any free port), {@code --seed S}, {@code
   *     --objects N}, {@code --https}, {@code --latency-ms MS}, {@code --rate-limit PER_SECOND},
   *     {@code --help}; a value may also follow an {@code =} ({@code --port=12111})
   */
  public static void main(String[] args) {
    Parsed parsed;
    try {
      parsed = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("stripe-emulator: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (parsed == null) {
      usage(System.out);
      return;
    }
    StripeEmulator emulator;
    try {
      emulator = parsed.builder().build();
      parsed.faults().apply(emulator.faults());
      emulator.start();
    } catch (RuntimeException e) {
      System.err.println("stripe-emulator: " + e.getMessage()
          + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      emulator.close();
      stopped.countDown();
    }, "stripe-emulator-shutdown"));
    System.out.println("Stripe emulator listening on " + emulator.baseUrl());
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Fault settings given on the command line. */
  static final class FaultFlags {
    long latencyMs;
    double rateLimit;

    void apply(Faults faults) {
      faults.latency(java.time.Duration.ofMillis(latencyMs));
      if (rateLimit > 0) {
        faults.rateLimit(rateLimit, (int) Math.max(1, Math.ceil(rateLimit)));
      }
    }
  }

  /** The command line, read. */
  record Parsed(StripeEmulator.Builder builder, FaultFlags faults) {}

  /** Null for --help. */
  static Parsed parse(String[] args) {
    StripeEmulator.Builder b = StripeEmulator.builder();
    FaultFlags settings = new FaultFlags();
    boolean portGiven = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        return null;
      }
      if (flag.equals("--https")) {
        b.https(true);
        continue;
      }
      String value;
      int eq = flag.indexOf('=');
      if (flag.startsWith("--") && eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        value = null;
      }
      switch (flag) {
        case "--port" -> {
          b.port(intValue(flag, value, 0, 65535));
          portGiven = true;
        }
        case "--seed" -> b.seed(longValue(flag, value));
        case "--objects" -> b.objectsPerResource(intValue(flag, value, 0, Integer.MAX_VALUE));
        case "--latency-ms" -> settings.latencyMs = intValue(flag, value, 0, 600_000);
        case "--rate-limit" -> settings.rateLimit = intValue(flag, value, 1, 1_000_000);
        default -> throw new IllegalArgumentException("unknown flag '" + flag
            + "'; " + USAGE);
      }
    }
    if (!portGiven) {
      throw new IllegalArgumentException("--port is required (0 picks a free port); " + USAGE);
    }
    return new Parsed(b, settings);
  }

  private static long longValue(String flag, String value) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, not '" + value + "'");
    }
  }

  private static int intValue(String flag, String value, int min, int max) {
    long v = longValue(flag, value);
    if (v < min || v > max) {
      throw new IllegalArgumentException(flag + " must be within " + min + ".." + max + ", not "
          + value);
    }
    return (int) v;
  }

  private static final String USAGE = "usage: java -jar stripe-emulator.jar --port P [--seed S]"
      + " [--objects N] [--https] [--latency-ms MS] [--rate-limit PER_SECOND]";

  private static void usage(PrintStream out) {
    out.println(USAGE);
  }
}
