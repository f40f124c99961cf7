package dev.sluice.stripe.ops;

import dev.sluice.xdm.DataRecord;
import java.util.Objects;

/**
 * What FinalizeInvoice answered: the invoice after the action.
 *
 * @param action the action's name
 * @param object the invoice
 * @param requestId Stripe's request id, or {@code null}
 */
public record InvoiceResult(String action, DataRecord object, String requestId) implements ActionResult {
  /** Checks the fields. */
  public InvoiceResult {
    Objects.requireNonNull(action, "action == null");
    Objects.requireNonNull(object, "object == null");
  }

  /** The invoice's number, given when it is finalized. */
  public String number() {
    return object.getString("number");
  }
}
