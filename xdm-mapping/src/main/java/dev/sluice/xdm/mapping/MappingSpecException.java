package dev.sluice.xdm.mapping;

import java.util.List;

/**
 * Thrown when a mapping set itself is wrong: malformed JSON, a missing field, a path that does not
 * parse, an unknown function, a destination the target schema does not have. It lists every problem
 * found, not just the first, so that a mapping set can be fixed in one pass.
 *
 * <p>This is a <em>spec</em> error, raised when a set is read or compiled. Problems with the data
 * being mapped never throw; they come back as {@link MappingError}s in a {@link MappingResult}.
 */
public class MappingSpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * Creates the exception from a non-empty list of problems, each a sentence naming the rule or
   * path at fault.
   */
  public MappingSpecException(List<String> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  private static String message(List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a MappingSpecException needs at least one problem");
    }
    if (problems.size() == 1) {
      return "Invalid mapping set: " + problems.get(0);
    }
    StringBuilder b = new StringBuilder("Invalid mapping set, ").append(problems.size()).append(" problems:");
    for (String p : problems) {
      b.append("\n  - ").append(p);
    }
    return b.toString();
  }

  /** Every problem found, in the order of the rules; never empty. */
  public List<String> problems() {
    return problems;
  }
}
