package dev.sluice.stripe.ops;

import dev.sluice.stripe.StripeInvalidRequestException;

/**
 * Stripe refused an action because of the object's state: capturing a canceled PaymentIntent
 * ({@code payment_intent_unexpected_state}), accepting a canceled quote, finalizing an invoice
 * that is no longer a draft ({@code invoice_not_editable}), detaching a payment method that is not
 * attached. Read the object again to see its state; trying again as-is fails the same way.
 *
 * <p>{@link #stripeCode()}, {@link #requestId()} and the message are Stripe's; the original
 * exception is the {@linkplain #getCause() cause}.
 */
public class StripeInvalidStateException extends StripeInvalidRequestException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception from Stripe's refusal.
   *
   * @param refused the invalid-request error Stripe answered
   */
  public StripeInvalidStateException(StripeInvalidRequestException refused) {
    super(refused.getMessage(), refused.httpStatus(), refused.requestId(), refused.type(),
        refused.stripeCode(), refused.param(), refused);
  }

  @Override
  public String code() {
    return "STRIPE_INVALID_STATE";
  }
}
