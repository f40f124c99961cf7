package dev.sluice.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.FlowRun;
import dev.sluice.core.InMemorySink;
import dev.sluice.core.RunStatus;
import dev.sluice.core.Sinks;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.testkit.StripeEmulator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A restricted key that may not read one resource fails that resource only, saying why. */
class RestrictedKeyFlowTest {
  static final String KEY = "rk_test_51FlowChargesOnly000000077";

  @Test
  void aForbiddenResourceFailsAloneAndTheReadableOneSyncsExactly() {
    try (StripeEmulator emulator = StripeEmulator.builder().objectsPerResource(30)
        .restrictedKey(KEY, Set.of("charges", "events")).start()) {
      StripeConnection stripe = StripeConnection.builder().apiKey(KEY)
          .apiBase(emulator.baseUrl()).throttle(Throttle.none()).build();
      InMemorySink sink = Sinks.inMemory();

      FlowRun customers = stripe.source("customers").into(sink).build().runOnce();
      FlowRun charges = stripe.source("charges").withSettle(java.time.Duration.ZERO)
          .into(sink).build().runOnce();

      assertThat(customers.status()).isEqualTo(RunStatus.FAILED);
      assertThat(customers.failureMessage())
          .startsWith("the key lacks read permission on customers")
          .contains("rak_customer_read").doesNotContain(KEY);
      assertThat(charges.status()).isEqualTo(RunStatus.SUCCESS);
      Set<String> atStripe = new LinkedHashSet<>();
      StripeConnection full = stripe.newBuilder().apiKey("sk_test_reader0000001").build();
      full.operations().list("Charge").forEach(c -> atStripe.add(c.getString("id")));
      assertThat(sink.currentState("charges").keySet()).isEqualTo(atStripe).hasSize(30);
      assertThat(sink.currentState("customers")).isEmpty();
    }
  }
}
