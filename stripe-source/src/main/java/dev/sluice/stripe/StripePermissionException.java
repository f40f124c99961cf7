package dev.sluice.stripe;

/** The API key may not do this (HTTP 403): a restricted key lacks the permission, or the account is not reachable. */
public class StripePermissionException extends StripeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; see {@link StripeException#StripeException}. */
  public StripePermissionException(
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
    return "STRIPE_PERMISSION";
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
