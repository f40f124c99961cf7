package dev.sluice.stripe;

/**
 * Stripe refused a POST because its {@code Idempotency-Key} was already used with other
 * parameters (HTTP 400, type {@code idempotency_error}). Sending it again with the same key will
 * fail the same way: use a new key for a new request, or the original parameters to replay the
 * first answer.
 */
public class StripeIdempotencyException extends StripeInvalidRequestException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; see {@link StripeException#StripeException}. */
  public StripeIdempotencyException(
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
    return "STRIPE_IDEMPOTENCY";
  }
}
