package dev.sluice.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Checks that engines give the same output for every line, compared as parsed JSON trees: key
 * order may differ, but every value, and {@code null} versus absent, must match. All outputs are
 * parsed by one Jackson mapper, so equal numbers have equal node types.
 */
public final class Equivalence {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Equivalence() {}

  /**
   * Maps every line with each engine and compares the outputs with the first engine's.
   *
   * @return the number of lines checked
   * @throws AssertionError naming the first line and engine that differ, with both outputs
   */
  public static int check(List<String> lines, List<String> names, List<Engines.Engine> engines) {
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String reference = engines.get(0).map(line);
      JsonNode expected = tree(reference);
      for (int e = 1; e < engines.size(); e++) {
        String output = engines.get(e).map(line);
        if (!expected.equals(tree(output))) {
          throw new AssertionError(
              "line " + i + ": " + names.get(e) + " differs from " + names.get(0)
                  + "\n  " + names.get(0) + ": " + reference
                  + "\n  " + names.get(e) + ": " + output);
        }
      }
    }
    return lines.size();
  }

  private static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
