package dev.sluice.stripe.ops;

import dev.sluice.xdm.DataRecord;
import java.util.Map;

/**
 * What an action answered. Each action has its own type ({@link PaymentIntentResult}, {@link
 * InvoiceResult}, {@link QuoteResult}, {@link PaymentMethodResult}); a failed action throws
 * instead of returning, so {@link #success()} is always {@code true}.
 */
public interface ActionResult {
  /** The action's name as the connector spells it, such as {@code "CapturePaymentIntent"}. */
  String action();

  /** The object as Stripe answered it after the action. */
  DataRecord object();

  /** Stripe's {@code Request-Id} of the action's request, or {@code null}. */
  String requestId();

  /** The object's id ({@code pi_…}, {@code in_…}, {@code qt_…}, {@code pm_…}). */
  default String id() {
    return object().getString("id");
  }

  /**
   * The object's status after the action ({@code succeeded}, {@code requires_capture}, {@code
   * open}, {@code accepted}, …), or {@code null} for objects without one (payment methods).
   */
  default String status() {
    return object().getString("status");
  }

  /** Always {@code true}: failures throw. */
  default boolean success() {
    return true;
  }

  /**
   * The connector's output shape: {@code "Success": "true"} and, for the actions whose connector
   * output carries them, the object's fields flattened by {@link FlatView}.
   */
  default Map<String, String> flat() {
    return FlatView.success(object());
  }
}
