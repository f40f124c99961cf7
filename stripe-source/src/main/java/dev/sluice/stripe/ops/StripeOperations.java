package dev.sluice.stripe.ops;

import dev.sluice.xdm.DataRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Entity operations and actions on one Stripe connection, as an integration connector offers
 * them. Get it from {@code StripeConnection.operations()}.
 *
 * <pre>{@code
 * StripeOperations ops = stripe.operations();
 * ops.list("Customer", "Email = 'jo@example.com'").forEach(System.out::println);
 * DataRecord customer = ops.get("Customer", "cus_OxHsz0u5bCGWuy");
 * DataRecord pi = ops.create("PaymentIntent",
 *     Map.of("PaymentMethod", "pm_1OXN5Y", "Currency", "usd", "Amount", new BigDecimal("1500.0")));
 * ops.update("Customer", customer.getString("id"), Map.of("Name", "John"));
 * ops.capturePaymentIntent(pi.getString("id"), null);
 * }</pre>
 *
 * <p><b>Entities</b> are named as the connector names them ({@code Customer}, {@code
 * PaymentIntent}, {@code InvoiceItem}) or as Stripe does ({@code customers}, {@code
 * payment_intent}); {@link #entities()} lists them. An operation Stripe does not offer for an
 * entity (deleting a charge, creating an event) is refused with an {@link
 * UnsupportedOperationException} before any request.
 *
 * <p><b>Inputs</b> may use the connector's names ({@code PaymentMethod}, {@code ReturnUrl}) or
 * Stripe's ({@code payment_method}); nested maps and lists are sent as Stripe's form parameters,
 * metadata keys as given. Amounts and other whole-number fields take a {@code Long}, a {@code
 * BigDecimal} or text ({@code 1500.0} is sent as {@code 1500}, {@code 1500.5} is refused); a
 * {@code null} value clears a field. Fields the entity does not have are refused, by name, before
 * any request.
 *
 * <p><b>Writes</b> carry an {@code Idempotency-Key}: a new random one per call, reused by the
 * connection's retries, or yours through {@link #withIdempotencyKey}. Every request goes through
 * the connection's throttle, retries, proxy and logging. Stripe's refusals are {@link
 * dev.sluice.stripe.StripeException}s: {@link dev.sluice.stripe.StripeCardException} (with the
 * decline code), {@link dev.sluice.stripe.StripeInvalidRequestException} (with the parameter),
 * {@link StripeInvalidStateException}, {@link dev.sluice.stripe.StripeIdempotencyException},
 * authentication, permission and rate-limit errors, each with Stripe's request id.
 *
 * <p>Thread-safe. Implemented by Sluice only; more methods may be added.
 */
public interface StripeOperations {

  /**
   * How long after this connection writes to an entity its listings avoid Stripe's Search API
   * for it, since Search shows writes only after up to about a minute.
   */
  Duration SEARCH_FRESHNESS = Duration.ofSeconds(90);

  /** The entities, as the connector names them: {@code Customer}, {@code PaymentIntent}, … */
  List<String> entities();

  /**
   * Every record of an entity, newest first, read lazily page by page: the stream never holds
   * more than one page.
   *
   * @throws IllegalArgumentException naming an unknown entity
   */
  Stream<DataRecord> list(String entity);

  /**
   * The records of an entity that satisfy a filter clause, newest first, read lazily. A clause
   * compares columns (the entity's fields, by the connector's name or Stripe's, dotted for nested
   * fields: {@code Metadata.plan}) with values: {@code Name = 'John'}, {@code Amount > 1000 AND
   * Currency = 'usd'}, {@code Status = 'canceled' OR Status = 'succeeded'}, {@code (A = 1 OR B = 2)
   * AND C != 'x'}, {@code Email IS NULL}. Operators are {@code = != <> < <= > >=}; strings are in
   * single quotes ({@code ''} or {@code \'} for a quote in them) and compare exactly, case and all;
   * numbers compare by value; a comparison with a null or absent field is false. The clause runs
   * the cheapest correct way ({@link ListStrategy}); the records are the same whichever runs.
   *
   * @param filterClause the clause, or {@code null} for all records
   * @throws FilterSyntaxException with the column where the clause could not be parsed
   * @throws IllegalArgumentException naming an unknown entity
   */
  Stream<DataRecord> list(String entity, String filterClause);

  /**
   * One page of a listing, with the token for the next.
   *
   * @throws FilterSyntaxException with the column where the clause could not be parsed
   * @throws IllegalArgumentException for an unknown entity, a token made for another listing, or
   *     a strategy that cannot answer the clause
   */
  EntityPage page(ListRequest request);

  /**
   * The record with this id.
   *
   * @throws dev.sluice.stripe.StripeInvalidRequestException with code {@code resource_missing} if
   *     there is none
   */
  DataRecord get(String entity, String id);

  /**
   * Creates a record and answers it as Stripe does.
   *
   * @param fields the new record's fields, connector or Stripe names (a {@code DataRecord}'s
   *     {@code asMap()} will do)
   * @throws IllegalArgumentException naming fields the entity lacks, or an amount that is not a
   *     whole number, before any request
   * @throws UnsupportedOperationException if Stripe does not create this entity through its API
   */
  DataRecord create(String entity, Map<String, ?> fields);

  /**
   * Updates the record with this id and answers it as it now is.
   *
   * @throws IllegalArgumentException as {@link #create}
   * @throws UnsupportedOperationException if Stripe does not update this entity through its API
   */
  DataRecord update(String entity, String id, Map<String, ?> fields);

  /**
   * Deletes the record with this id; answers Stripe's {@code {"id", "object", "deleted": true}}.
   *
   * @throws UnsupportedOperationException if Stripe does not delete this entity, such as charges
   */
  DataRecord delete(String entity, String id);

  /**
   * ConfirmPaymentIntent.
   *
   * @param paymentMethodId the payment method to confirm with, or {@code null} for the one it has
   * @param returnUrl where to send the customer back after a redirect, or {@code null}
   * @throws StripeInvalidStateException if the payment intent cannot be confirmed in its state
   * @throws dev.sluice.stripe.StripeCardException when the card is declined
   */
  PaymentIntentResult confirmPaymentIntent(String paymentIntentId, String paymentMethodId, String returnUrl);

  /**
   * CapturePaymentIntent.
   *
   * @param amountToCapture how much to capture in the smallest currency unit, or {@code null} for
   *     all that is capturable
   * @throws StripeInvalidStateException if it is not awaiting capture (canceled, say)
   */
  PaymentIntentResult capturePaymentIntent(String paymentIntentId, Long amountToCapture);

  /**
   * CancelPaymentIntent.
   *
   * @param cancellationReason {@code duplicate}, {@code fraudulent}, {@code requested_by_customer}
   *     or {@code abandoned}, or {@code null}
   * @throws StripeInvalidStateException if it can no longer be canceled (succeeded, say)
   */
  PaymentIntentResult cancelPaymentIntent(String paymentIntentId, String cancellationReason);

  /**
   * AttachPaymentMethodToCustomer.
   *
   * @throws StripeInvalidStateException if it is attached already
   */
  PaymentMethodResult attachPaymentMethodToCustomer(String paymentMethodId, String customerId);

  /**
   * DetachPaymentMethodFromCustomer. A detached payment method cannot be used or attached again.
   *
   * @throws StripeInvalidStateException if it is not attached
   */
  PaymentMethodResult detachPaymentMethodFromCustomer(String paymentMethodId);

  /**
   * FinalizeInvoice: a draft invoice becomes open, with a number.
   *
   * @throws StripeInvalidStateException if it is not a draft
   */
  InvoiceResult finalizeInvoice(String invoiceId);

  /**
   * FinalizeQuote: a draft quote becomes open.
   *
   * @throws StripeInvalidStateException if it is not a draft
   */
  QuoteResult finalizeQuote(String quoteId);

  /**
   * AcceptQuote: an open quote is accepted, which makes an invoice ({@link QuoteResult#invoiceId()}).
   *
   * @throws StripeInvalidStateException if it is not open (canceled, say)
   */
  QuoteResult acceptQuote(String quoteId);

  /**
   * CancelQuote.
   *
   * @throws StripeInvalidStateException if it is accepted or canceled already
   */
  QuoteResult cancelQuote(String quoteId);

  /**
   * Runs an action by the connector's name with the connector's inputs, such as {@code
   * execute("ConfirmPaymentIntent", Map.of("PaymentIntentId", "pi_…", "ReturnUrl", "https://…"))}.
   * Inputs: {@code PaymentIntentId}, {@code PaymentMethodId} (or {@code PaymentMethod}), {@code
   * ReturnUrl}, {@code AmountToCapture} (or {@code Amount}), {@code CancellationReason}, {@code
   * CustomerId}, {@code InvoiceId}, {@code QuoteId}.
   *
   * @throws IllegalArgumentException for an unknown action, a missing input or one the action
   *     does not take
   */
  ActionResult execute(String action, Map<String, ?> inputs);

  /**
   * A view of these operations whose writes send this {@code Idempotency-Key} (1 to 255
   * characters) instead of a random one: use it for one write, and again with the same key and
   * inputs to have Stripe replay that write's answer rather than do it twice. Shares this
   * connection's transport and its record of recent writes.
   *
   * @throws IllegalArgumentException if the key is blank or longer than 255 characters
   */
  StripeOperations withIdempotencyKey(String idempotencyKey);
}
