package dev.sluice.stripe;

/** No usable answer came from the API base: the host is unreachable, refused the connection, timed out, or cut the answer short. */
public class StripeConnectionException extends StripeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; see {@link StripeException#StripeException}. */
  public StripeConnectionException(
      String message,
      int httpStatus,
      String requestId,
      String type,
      String stripeCode,
      String param,
      Throwable cause) {
    super(message, httpStatus, requestId, type, stripeCode, param, cause);
  }

  @Override
  public String code() {
    return "STRIPE_UNREACHABLE";
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
