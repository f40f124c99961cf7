package dev.sluice.core;

/**
 * The root of every unchecked exception Sluice throws at run time. Subclasses say what failed
 * (a sink, the Stripe API, a flow's definition) and carry the context a caller can act on.
 * Messages never contain an API key or a password.
 */
public class SluiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public SluiceException(String message) {
    super(message);
  }

  /** Creates the exception with a message and a cause. */
  public SluiceException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A stable code for the kind of failure, for run reports and alerts. Subclasses override it;
   * the default is {@code "ERROR"}.
   */
  public String code() {
    return "ERROR";
  }

  /** Whether trying the same thing again later may succeed. The default is false. */
  public boolean isRetryable() {
    return false;
  }
}
