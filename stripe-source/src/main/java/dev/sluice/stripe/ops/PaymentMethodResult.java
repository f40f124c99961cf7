package dev.sluice.stripe.ops;

import dev.sluice.xdm.DataRecord;
import java.util.Map;
import java.util.Objects;

/**
 * What AttachPaymentMethodToCustomer or DetachPaymentMethodFromCustomer answered: the payment
 * method after the action.
 *
 * @param action the action's name
 * @param object the payment method
 * @param requestId Stripe's request id, or {@code null}
 */
public record PaymentMethodResult(String action, DataRecord object, String requestId)
    implements ActionResult {
  /** Checks the fields. */
  public PaymentMethodResult {
    Objects.requireNonNull(action, "action == null");
    Objects.requireNonNull(object, "object == null");
  }

  /** The customer it is attached to, or {@code null} once detached. */
  public String customer() {
    Object customer = object.get("customer");
    return customer instanceof DataRecord r ? r.getString("id") : (String) customer;
  }

  /** {@code "Success": "true"}, as the connector answers. */
  @Override
  public Map<String, String> flat() {
    return FlatView.success(null);
  }
}
