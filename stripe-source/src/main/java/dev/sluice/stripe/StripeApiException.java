package dev.sluice.stripe;

/** Stripe failed on its side (HTTP 5xx, or a 409 conflict) more often than the retries allowed. */
public class StripeApiException extends StripeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; see {@link StripeException#StripeException}. */
  public StripeApiException(
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
    return "STRIPE_API";
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
