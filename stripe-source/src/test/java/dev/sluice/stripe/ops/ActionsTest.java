package dev.sluice.stripe.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.testkit.StripeEmulatorExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every action, from the right state and from a wrong one. */
class ActionsTest {
  @RegisterExtension
  static final StripeEmulatorExtension STRIPE =
      new StripeEmulatorExtension(StripeEmulator.builder().seed(12).objectsPerResource(30));

  StripeOperations ops;
  String customer;

  @BeforeEach
  void connect() {
    ops = StripeConnection.builder().apiKey("sk_test_ops").apiBase(STRIPE.baseUrl())
        .initialBackoff(Duration.ofMillis(1)).throttle(Throttle.none()).build().operations();
    customer = ops.create("Customer", Map.of("Name", "Ada")).getString("id");
  }

  private String paymentIntent(String captureMethod) {
    return ops.create("PaymentIntent", Map.of("PaymentMethod", "pm_card_visa", "Currency", "usd",
        "Amount", 33000, "CaptureMethod", captureMethod, "Customer", customer)).getString("id");
  }

  @Test
  void confirmCaptureAndTheirWrongStates() {
    String pi = paymentIntent("manual");
    PaymentIntentResult confirmed = ops.confirmPaymentIntent(pi, null, "http://google.com/");
    assertThat(confirmed.status()).isEqualTo("requires_capture");
    assertThat(confirmed.amountCapturable()).isEqualTo(33000L);
    assertThat(confirmed.latestCharge()).startsWith("ch_");
    assertThat(STRIPE.emulator().requests().get(STRIPE.emulator().requests().size() - 1).body())
        .isEqualTo("return_url=http%3A%2F%2Fgoogle.com%2F");

    PaymentIntentResult captured = ops.capturePaymentIntent(pi, 30000L);
    assertThat(captured.status()).isEqualTo("succeeded");
    assertThat(captured.amountReceived()).isEqualTo(30000L);
    assertThat(captured.flat()).containsEntry("Success", "true").containsEntry("id", pi)
        .containsEntry("status", "succeeded").containsEntry("amount_received", "30000")
        .containsEntry("canceled_at", null).containsEntry("livemode", "false");
    assertThat(captured.success()).isTrue();

    assertThatThrownBy(() -> ops.confirmPaymentIntent(pi, null, null))
        .isInstanceOfSatisfying(StripeInvalidStateException.class, e -> {
          assertThat(e.stripeCode()).isEqualTo("payment_intent_unexpected_state");
          assertThat(e.requestId()).startsWith("req_");
          assertThat(e.getMessage()).contains("succeeded");
        });
  }

  @Test
  void cancelThenCaptureACanceledPaymentIntentFails() {
    String pi = paymentIntent("automatic");
    PaymentIntentResult canceled = ops.cancelPaymentIntent(pi, "abandoned");
    assertThat(canceled.status()).isEqualTo("canceled");
    assertThat(canceled.cancellationReason()).isEqualTo("abandoned");
    assertThat(canceled.flat()).containsEntry("status", "canceled");
    assertThatThrownBy(() -> ops.capturePaymentIntent(pi, null))
        .isInstanceOf(StripeInvalidStateException.class)
        .hasMessageContaining("canceled");
    assertThatThrownBy(() -> ops.cancelPaymentIntent(pi, null))
        .isInstanceOf(StripeInvalidStateException.class);
  }

  @Test
  void confirmAutomaticSucceedsThroughTheConnectorsInputs() {
    String pi = paymentIntent("automatic");
    ActionResult result = ops.execute("ConfirmPaymentIntent",
        Map.of("ReturnUrl", "http://google.com/", "PaymentIntentId", pi));
    assertThat(result).isInstanceOf(PaymentIntentResult.class);
    assertThat(result.flat()).containsEntry("Success", "true").containsEntry("status", "succeeded")
        .containsEntry("amount_received", "33000");
    assertThatThrownBy(() -> ops.execute("ConfirmPaymentIntent", Map.of("PaymentIntent", pi)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not take PaymentIntent");
    assertThatThrownBy(() -> ops.execute("RefundEverything", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unknown action");
    assertThatThrownBy(() -> ops.execute("CapturePaymentIntent", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs PaymentIntentId");
  }

  @Test
  void attachAndDetachAPaymentMethod() {
    String pm = ops.create("PaymentMethod", Map.of("Type", "card")).getString("id");
    PaymentMethodResult attached = ops.attachPaymentMethodToCustomer(pm, customer);
    assertThat(attached.customer()).isEqualTo(customer);
    assertThat(attached.flat()).containsExactly(Map.entry("Success", "true"));
    assertThatThrownBy(() -> ops.attachPaymentMethodToCustomer(pm, customer))
        .isInstanceOf(StripeInvalidStateException.class).hasMessageContaining("already been attached");

    PaymentMethodResult detached = (PaymentMethodResult) ops.execute("DetachPaymentMethodFromCustomer",
        Map.of("PaymentMethodId", pm));
    assertThat(detached.customer()).isNull();
    assertThat(ops.get("PaymentMethod", pm).get("customer")).isNull();
    assertThatThrownBy(() -> ops.detachPaymentMethodFromCustomer(pm))
        .isInstanceOf(StripeInvalidStateException.class).hasMessageContaining("not attached");
  }

  @Test
  void finalizeAnInvoiceOnce() {
    String invoice = ops.create("Invoice", Map.of("Customer", customer)).getString("id");
    InvoiceResult finalized = ops.finalizeInvoice(invoice);
    assertThat(finalized.status()).isEqualTo("open");
    assertThat(finalized.number()).isNotBlank();
    assertThat(finalized.flat()).containsEntry("Success", "true").containsEntry("status", "open")
        .containsKey("lines.has_more");
    assertThatThrownBy(() -> ops.finalizeInvoice(invoice))
        .isInstanceOfSatisfying(StripeInvalidStateException.class,
            e -> assertThat(e.stripeCode()).isEqualTo("invoice_not_editable"));
  }

  @Test
  void quotesFinalizeAcceptAndCancel() {
    String quote = ops.create("Quote", Map.of("Customer", customer)).getString("id");
    assertThat(ops.finalizeQuote(quote).flat()).containsExactly(Map.entry("Success", "true"));
    QuoteResult accepted = (QuoteResult) ops.execute("AcceptQuote", Map.of("QuoteId", quote));
    assertThat(accepted.status()).isEqualTo("accepted");
    assertThat(accepted.invoiceId()).startsWith("in_");
    assertThat(accepted.flat()).containsExactly(
        Map.entry("InvoiceId", accepted.invoiceId()), Map.entry("Success", "true"));
    assertThat(ops.get("Invoice", accepted.invoiceId()).getString("status")).isEqualTo("draft");

    String other = ops.create("Quote", Map.of("Customer", customer)).getString("id");
    assertThatThrownBy(() -> ops.acceptQuote(other))
        .isInstanceOf(StripeInvalidStateException.class).hasMessageContaining("draft");
    assertThat(ops.cancelQuote(other).status()).isEqualTo("canceled");
    assertThatThrownBy(() -> ops.acceptQuote(other))
        .isInstanceOf(StripeInvalidStateException.class).hasMessageContaining("canceled");
    assertThatThrownBy(() -> ops.cancelQuote(other)).isInstanceOf(StripeInvalidStateException.class);
    assertThatThrownBy(() -> ops.finalizeQuote(other)).isInstanceOf(StripeInvalidStateException.class);
  }
}
