package dev.sluice.xdm;

/**
 * Thrown when text that should be JSON is not, or is not the JSON shape that was expected. The
 * message names the JSON path (for example {@code $.data[3].amount}) and what was wrong there.
 */
public class JsonFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the path and the problem. */
  public JsonFormatException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the parser's own exception. */
  public JsonFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
