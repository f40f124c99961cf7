package dev.sluice.core;

import dev.sluice.core.internal.DirectoryRunHistory;
import dev.sluice.core.internal.InMemoryRunHistory;
import java.nio.file.Path;
import java.util.Objects;

/** The built-in {@link RunHistory}s. */
public final class RunHistories {
  /** How many runs of each flow keep their row errors by default. */
  public static final int DEFAULT_ROW_ERROR_RUNS = 10;

  private RunHistories() {}

  /**
   * A history in memory, keeping the last 1,000 runs of each flow and the row errors of the last
   * {@value #DEFAULT_ROW_ERROR_RUNS}.
   */
  public static RunHistory inMemory() {
    return new InMemoryRunHistory(1_000, DEFAULT_ROW_ERROR_RUNS);
  }

  /**
   * A history in files under {@code directory} that survives restarts: every run in {@code
   * runs.jsonl}, row errors in {@code row-errors/}, kept for the last {@value
   * #DEFAULT_ROW_ERROR_RUNS} runs of each flow.
   */
  public static RunHistory directory(Path directory) {
    return directory(directory, DEFAULT_ROW_ERROR_RUNS);
  }

  /**
   * A history in files under {@code directory}, keeping row errors for the last {@code
   * rowErrorRuns} runs of each flow.
   */
  public static RunHistory directory(Path directory, int rowErrorRuns) {
    Objects.requireNonNull(directory, "directory == null");
    if (rowErrorRuns < 1) {
      throw new IllegalArgumentException("rowErrorRuns must be at least 1, was " + rowErrorRuns);
    }
    return new DirectoryRunHistory(directory, rowErrorRuns);
  }
}
