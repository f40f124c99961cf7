package dev.sluice.stripe.http;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what SLF4J (slf4j-simple in tests, writing to {@code System.err}) logs while code runs. */
public final class LogCapture {
  private LogCapture() {}

  /** Runs {@code body} and returns what was logged meanwhile. */
  public static String captured(Runnable body) {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
