package dev.sluice.stripe;

/**
 * A card was declined or could not be charged (HTTP 402, type {@code card_error}). {@link
 * #stripeCode()} says why in general ({@code card_declined}, {@code expired_card}, …) and {@link
 * #declineCode()} what the issuer said ({@code insufficient_funds}, …); show the customer the
 * message, or ask for another payment method. Not retried.
 */
public class StripeCardException extends StripeException {
  private static final long serialVersionUID = 1L;

  private final String declineCode;

  /**
   * Creates the exception; see {@link StripeException#StripeException}.
   *
   * @param declineCode the issuer's decline code, or {@code null}
   */
  public StripeCardException(
      String message,
      int httpStatus,
      String requestId,
      String type,
      String stripeCode,
      String param,
      String declineCode,
      Throwable cause) {
    super(message, httpStatus, requestId, type, stripeCode, param, cause);
    this.declineCode = declineCode;
  }

  /** The issuer's reason for a decline, such as {@code insufficient_funds}, or {@code null}. */
  public String declineCode() {
    return declineCode;
  }

  @Override
  public String code() {
    return "STRIPE_CARD";
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
