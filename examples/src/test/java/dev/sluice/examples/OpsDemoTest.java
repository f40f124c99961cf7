package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ops demo runs every documented operation and action against the bundled emulator. */
class OpsDemoTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return OpsDemo.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env, args);
  }

  @Test
  void runsEveryStepAgainstTheEmulatorWhenNoKeyIsGiven() {
    assertThat(run(Map.of())).as("%s%s", out, err).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("== List Customer", "== Get Customer cus_", "[{\"Id\":\"pi_",
        "== Update Customer", "\"deleted\":\"true\"", "All steps succeeded.");
    for (String action : new String[] {"ConfirmPaymentIntent", "CapturePaymentIntent", "CancelPaymentIntent",
        "AttachPaymentMethodToCustomer", "DetachPaymentMethodFromCustomer", "FinalizeInvoice", "FinalizeQuote",
        "AcceptQuote", "CancelQuote"}) {
      assertThat(text).contains("== " + action);
    }
    assertThat(text).contains("\"status\":\"succeeded\"", "\"status\":\"canceled\"", "\"InvoiceId\":\"in_",
        "[{\"Success\":\"true\"}]");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("bundled Stripe emulator");
  }

  @Test
  void refusesLiveKeysAndUnknownOptions() {
    assertThat(run(Map.of("STRIPE_API_KEY", "sk_live_abc123"))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("live").doesNotContain("abc123");
    assertThat(run(Map.of(), "--frobnicate")).isEqualTo(2);
    assertThat(run(Map.of(), "--help")).isZero();
  }
}
