package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.PaymentIntentCreateParams;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stripe's own Java client, pointed at the emulator. */
class StripeJavaClientTest {
  @RegisterExtension
  static final StripeEmulatorExtension stripe = new StripeEmulatorExtension(
      StripeEmulator.builder().seed(21).objectsPerResource(350).clock(StripeEmulatorTest.CLOCK));

  static StripeClient client() {
    return StripeClient.builder()
        .setApiKey("sk_test_emulator0000000000000000")
        .setApiBase(stripe.baseUrl())
        .build();
  }

  @Test
  void autoPagingListsEveryCustomerAcrossPages() throws StripeException {
    List<String> ids = new ArrayList<>();
    for (Customer c : client().v1().customers()
        .list(CustomerListParams.builder().setLimit(100L).build()).autoPagingIterable()) {
      ids.add(c.getId());
    }
    assertThat(ids).hasSize(350);
    assertThat(new HashSet<>(ids)).hasSize(350);
    List<String> direct = new ArrayList<>();
    StripeEmulatorTest.pageAll(new StripeHttp(stripe.baseUrl()), "customers", 100, "")
        .forEach(r -> direct.add(r.getString("id")));
    assertThat(ids).containsExactlyElementsOf(direct);
    assertThat(stripe.emulator().requests()).hasSize(4 + 4);
  }

  @Test
  void createRetrieveUpdateDeleteACustomer() throws StripeException {
    StripeClient client = client();
    Customer created = client.v1().customers().create(CustomerCreateParams.builder()
        .setName("Jenny Rosen").setEmail("jenny@example.com")
        .putMetadata("plan.tier", "gold").putMetadata("key with spaces", "ü").build());
    assertThat(created.getId()).startsWith("cus_");
    assertThat(created.getMetadata()).containsEntry("plan.tier", "gold")
        .containsEntry("key with spaces", "ü");
    assertThat(created.getLastResponse().requestId()).startsWith("req_");

    Customer retrieved = client.v1().customers().retrieve(created.getId());
    assertThat(retrieved.getEmail()).isEqualTo("jenny@example.com");

    Customer updated = client.v1().customers().update(created.getId(),
        CustomerUpdateParams.builder().setName("John").build());
    assertThat(updated.getName()).isEqualTo("John");

    Customer deleted = client.v1().customers().delete(created.getId());
    assertThat(deleted.getDeleted()).isTrue();
    assertThat(client.v1().customers().retrieve(created.getId()).getDeleted()).isTrue();

    assertThatThrownBy(() -> client.v1().customers().retrieve("cus_missing"))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).getCode()).isEqualTo("resource_missing"))
        .satisfies(e -> assertThat(((InvalidRequestException) e).getStatusCode()).isEqualTo(404));
  }

  @Test
  void anIdempotentCreateIsReplayed() throws StripeException {
    StripeClient client = client();
    RequestOptions options = RequestOptions.builder().setIdempotencyKey("order-42").build();
    CustomerCreateParams params = CustomerCreateParams.builder().setName("Once").build();
    Customer first = client.v1().customers().create(params, options);
    Customer second = client.v1().customers().create(params, options);
    assertThat(second.getId()).isEqualTo(first.getId());
    assertThat(second.getLastResponse().headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(first.getLastResponse().headers().firstValue("Idempotent-Replayed")).isEmpty();
  }

  @Test
  void retriesA503WhenToldToAndConfirmsAPaymentIntent() throws StripeException {
    StripeClient client = StripeClient.builder().setApiKey("sk_test_emulator0000000000000000")
        .setApiBase(stripe.baseUrl()).setMaxNetworkRetries(2).build();
    stripe.emulator().faults().failNext(1, 503, true);
    PaymentIntent pi = client.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
        .setAmount(1500L).setCurrency("usd").setPaymentMethod("pm_card_visa").build());
    assertThat(stripe.emulator().requests()).extracting(RecordedRequest::status)
        .containsExactly(503, 200);
    assertThat(stripe.emulator().requests().get(1).header("Idempotency-Key"))
        .isEqualTo(stripe.emulator().requests().get(0).header("Idempotency-Key")).isNotNull();
    PaymentIntent confirmed = client.v1().paymentIntents().confirm(pi.getId());
    assertThat(confirmed.getStatus()).isEqualTo("succeeded");
    assertThat(confirmed.getAmountReceived()).isEqualTo(1500L);
  }
}
