package dev.sluice.stripe;

/** Stripe refused the request as invalid (HTTP 400 or 404); {@link #param()} names the parameter at fault. */
public class StripeInvalidRequestException extends StripeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; see {@link StripeException#StripeException}. */
  public StripeInvalidRequestException(
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
    return "STRIPE_INVALID_REQUEST";
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
