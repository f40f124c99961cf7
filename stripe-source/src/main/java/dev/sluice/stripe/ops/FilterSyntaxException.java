package dev.sluice.stripe.ops;

/**
 * A filter clause could not be parsed. The message and {@link #column()} say where: the 1-based
 * column of the character where parsing went wrong.
 */
public final class FilterSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String clause;
  private final int column;

  /**
   * Creates the exception.
   *
   * @param clause the clause as given
   * @param column the 1-based column where it went wrong
   * @param problem what was wrong there
   */
  public FilterSyntaxException(String clause, int column, String problem) {
    super("Cannot parse the filter clause at column " + column + ": " + problem + "\n  " + clause
        + "\n  " + " ".repeat(Math.max(0, column - 1)) + "^");
    this.clause = clause;
    this.column = column;
  }

  /** The clause as given. */
  public String clause() {
    return clause;
  }

  /** The 1-based column of the character where parsing went wrong. */
  public int column() {
    return column;
  }
}
