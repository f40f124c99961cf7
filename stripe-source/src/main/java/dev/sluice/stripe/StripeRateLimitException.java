package dev.sluice.stripe;

/** Stripe answered 429 (code {@code rate_limit} or {@code lock_timeout}) more often than the retries allowed. */
public class StripeRateLimitException extends StripeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; see {@link StripeException#StripeException}. */
  public StripeRateLimitException(
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
    return "STRIPE_RATE_LIMIT";
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
