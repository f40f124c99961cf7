package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StripeEmulatorExtensionTest {
  @RegisterExtension
  static final StripeEmulatorExtension stripe = new StripeEmulatorExtension(
      StripeEmulator.builder().seed(9).objectsPerResource(20).clock(StripeEmulatorTest.CLOCK));

  static String firstBaseUrl;

  @Test
  @Order(1)
  void givesAStartedEmulator(StripeEmulator injected) {
    assertThat(injected).isSameAs(stripe.emulator());
    firstBaseUrl = stripe.baseUrl();
    StripeHttp http = new StripeHttp(stripe.baseUrl());
    assertThat(http.get("/v1/charges?limit=3").body().getList("data")).hasSize(3);
    assertThat(http.post("/v1/customers", "name=Kept").status()).isEqualTo(200);
    stripe.emulator().faults().failNext(5, 500, false);
  }

  @Test
  @Order(2)
  void keepsOneEmulatorPerClassAndResetsFaultsAndLogBetweenTests() {
    assertThat(stripe.baseUrl()).isEqualTo(firstBaseUrl);
    assertThat(stripe.emulator().requests()).isEmpty();
    StripeHttp http = new StripeHttp(stripe.baseUrl());
    assertThat(http.get("/v1/customers?limit=1").body().getList("data").get(0).toString())
        .contains("\"name\":\"Kept\"");
    stripe.emulator().faults().latency(Duration.ZERO);
  }
}
