package dev.sluice.xdm.mapping.internal;

/**
 * A value could not be computed from one record's data (a wrong type, an unparseable date). It is
 * caught per rule and turned into a warning; it carries no stack trace, as it is expected.
 */
public final class EvalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message a person can act on. */
  public EvalException(String message) {
    super(message, null, false, false);
  }
}
