package dev.sluice.core;

/**
 * A sink could not stage or commit records. The message names the dataset and, where there is
 * one, the file or table; the records of the failed batch were not made visible.
 */
public class SinkException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the dataset and the problem. */
  public SinkException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "SINK_FAILED";
  }
}
