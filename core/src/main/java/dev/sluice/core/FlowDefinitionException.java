package dev.sluice.core;

import java.util.List;

/**
 * A flow (or one of its parts) was defined wrongly: a spec error, found when it is built, before
 * anything runs. {@link #problems()} lists every problem found, each naming the setting and what
 * to do.
 */
public class FlowDefinitionException extends SluiceException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  /** Creates the exception from the list of problems. */
  public FlowDefinitionException(List<String> problems) {
    super("Invalid flow definition: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found. */
  public List<String> problems() {
    return problems;
  }

  @Override
  public String code() {
    return "INVALID_FLOW";
  }
}
