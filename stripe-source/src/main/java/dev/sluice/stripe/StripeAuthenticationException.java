package dev.sluice.stripe;

/** Stripe did not accept the API key (HTTP 401): check the key and its mode (test or live). */
public class StripeAuthenticationException extends StripeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; see {@link StripeException#StripeException}. */
  public StripeAuthenticationException(
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
    return "STRIPE_AUTHENTICATION";
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
