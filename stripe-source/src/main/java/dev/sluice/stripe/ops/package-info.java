/**
 * Entity operations and actions on Stripe, in the style of an integration connector: list (with
 * a filter clause such as {@code Amount > 1000 AND Currency = 'usd'}), get, create, update and
 * delete for Stripe's entities, and the actions ConfirmPaymentIntent, CapturePaymentIntent,
 * CancelPaymentIntent, AttachPaymentMethodToCustomer, DetachPaymentMethodFromCustomer,
 * FinalizeInvoice, FinalizeQuote, AcceptQuote and CancelQuote.
 *
 * <pre>{@code
 * StripeOperations ops = StripeConnection.builder().apiKey(key).build().operations();
 * for (DataRecord c : ops.list("Customer", "Name = 'John'")) { ... }
 * DataRecord pi = ops.create("PaymentIntent",
 *     Map.of("PaymentMethod", "pm_card_visa", "Currency", "usd", "Amount", new BigDecimal("1500.0")));
 * PaymentIntentResult confirmed = ops.confirmPaymentIntent(pi.getString("id"), null, "https://example.com/back");
 * Map<String, String> flat = confirmed.flat();   // {"Success": "true", "id": "pi_…", …}
 * }</pre>
 *
 * <p>Everything goes through the connection's one transport: its throttle, retries, proxy,
 * logging and idempotency keys. Stripe's refusals arrive as {@link dev.sluice.stripe.StripeException}
 * subclasses; {@link dev.sluice.stripe.ops.StripeInvalidStateException} marks an object whose state
 * does not allow the action. Everything in {@code dev.sluice.stripe.ops.internal} may change
 * without notice.
 */
package dev.sluice.stripe.ops;
