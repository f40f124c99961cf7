package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Restricted keys read and write only what they were granted, and hear Stripe's 403 otherwise. */
class RestrictedKeyTest {
  static final String READER = "rk_test_51ChargesOnlyReaderKey0001";
  static final String WRITER = "rk_test_51CustomerWriterKey000002";
  static StripeEmulator emulator;

  @BeforeAll
  static void start() {
    emulator = StripeEmulator.builder().objectsPerResource(5)
        .restrictedKey(READER, Set.of("charges", "events"))
        .restrictedKey(WRITER, Set.of(), Set.of("customers"))
        .start();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void aRestrictedKeyReadsWhatItWasGrantedAndGetsStripesPermissionErrorElsewhere() {
    StripeHttp http = new StripeHttp(emulator.baseUrl()).withKey(READER);

    StripeHttp.Answer charges = http.get("/v1/charges?limit=3");
    StripeHttp.Answer customers = http.get("/v1/customers?limit=3");
    String chargeId = charges.body().getList("data").isEmpty() ? null
        : ((dev.sluice.xdm.DataRecord) charges.body().getList("data").get(0)).getString("id");
    StripeHttp.Answer refunds = http.get("/v1/charges/" + chargeId + "/refunds");
    StripeHttp.Answer write = http.post("/v1/charges/" + chargeId, "description=x");

    assertThat(charges.status()).isEqualTo(200);
    assertThat(refunds.status()).isEqualTo(200);
    assertThat(customers.status()).isEqualTo(403);
    assertThat(customers.error().getString("type")).isEqualTo("invalid_request_error");
    assertThat(customers.error().getString("message"))
        .contains("does not have the required permissions for this endpoint")
        .contains("'rak_customer_read'")
        .contains("rk_test_****0001")
        .doesNotContain(READER);
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.error().getString("message")).contains("'rak_charge_write'");
    assertThat(http.get("/v1/balance").status()).isEqualTo(200);
  }

  @Test
  void writingImpliesReadingAndOtherKeysStayUnrestricted() {
    StripeHttp writer = new StripeHttp(emulator.baseUrl()).withKey(WRITER);
    assertThat(writer.post("/v1/customers", "email=a%40example.com").status()).isEqualTo(200);
    assertThat(writer.get("/v1/customers?limit=1").status()).isEqualTo(200);
    assertThat(writer.get("/v1/checkout/sessions?limit=1").error().getString("message"))
        .contains("'rak_checkout_session_read'");

    StripeHttp other = new StripeHttp(emulator.baseUrl()).withKey("rk_test_51AnyOtherKey000000003");
    assertThat(other.get("/v1/customers?limit=1").status()).isEqualTo(200);
  }

  @Test
  void aMistypedGrantIsRefusedWhenTheEmulatorIsBuilt() {
    assertThatThrownBy(() -> StripeEmulator.builder().restrictedKey(READER, Set.of("charge")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'charge' is not a Stripe resource");
    assertThatThrownBy(() -> StripeEmulator.builder().restrictedKey("sk_test_123456789", Set.of()))
        .hasMessageContaining("starts with rk_test_")
        .hasMessageNotContaining("123456789");
  }
}
