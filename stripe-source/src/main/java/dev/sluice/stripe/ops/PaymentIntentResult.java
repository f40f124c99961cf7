package dev.sluice.stripe.ops;

import dev.sluice.xdm.DataRecord;
import java.util.Objects;

/**
 * What ConfirmPaymentIntent, CapturePaymentIntent or CancelPaymentIntent answered: the payment
 * intent after the action.
 *
 * @param action the action's name
 * @param object the payment intent
 * @param requestId Stripe's request id, or {@code null}
 */
public record PaymentIntentResult(String action, DataRecord object, String requestId)
    implements ActionResult {
  /** Checks the fields. */
  public PaymentIntentResult {
    Objects.requireNonNull(action, "action == null");
    Objects.requireNonNull(object, "object == null");
  }

  /** The payment intent's amount in the currency's smallest unit. */
  public Long amount() {
    return object.getLong("amount");
  }

  /** How much was received, in the smallest unit. */
  public Long amountReceived() {
    return object.getLong("amount_received");
  }

  /** How much can still be captured, in the smallest unit. */
  public Long amountCapturable() {
    return object.getLong("amount_capturable");
  }

  /** The latest charge's id, or {@code null}. */
  public String latestCharge() {
    return object.getString("latest_charge");
  }

  /** Why it was canceled, or {@code null}. */
  public String cancellationReason() {
    return object.getString("cancellation_reason");
  }
}
