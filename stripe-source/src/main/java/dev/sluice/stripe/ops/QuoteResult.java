package dev.sluice.stripe.ops;

import dev.sluice.xdm.DataRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What FinalizeQuote, AcceptQuote or CancelQuote answered: the quote after the action.
 *
 * @param action the action's name
 * @param object the quote
 * @param requestId Stripe's request id, or {@code null}
 */
public record QuoteResult(String action, DataRecord object, String requestId) implements ActionResult {
  /** Checks the fields. */
  public QuoteResult {
    Objects.requireNonNull(action, "action == null");
    Objects.requireNonNull(object, "object == null");
  }

  /** The invoice accepting made ({@code in_…}), or {@code null} for the other actions. */
  public String invoiceId() {
    Object invoice = object.get("invoice");
    return invoice instanceof DataRecord r ? r.getString("id") : (String) invoice;
  }

  /** {@code "Success": "true"}, after {@code "InvoiceId"} for AcceptQuote, as the connector answers. */
  @Override
  public Map<String, String> flat() {
    Map<String, String> out = new LinkedHashMap<>();
    if (action.equals("AcceptQuote")) {
      out.put("InvoiceId", invoiceId());
    }
    out.put("Success", "true");
    return Collections.unmodifiableMap(out);
  }
}
