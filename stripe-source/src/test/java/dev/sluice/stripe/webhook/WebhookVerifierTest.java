package dev.sluice.stripe.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.net.Webhook;
import dev.sluice.core.FlowDefinitionException;
import dev.sluice.stripe.webhook.WebhookRefusedException.Reason;
import dev.sluice.xdm.DataRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Signatures checked as Stripe signs them, against stripe-java's own signer. */
class WebhookVerifierTest {
  static final String SECRET = "whsec_test_2f7c1f3a9b0e4d6c8a5b7e9f1d3c5a7b";
  static final String OLD_SECRET = "whsec_test_old_9a8b7c6d5e4f3a2b1c0d";
  static final long NOW = 1_780_000_000L;
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  static final String PAYLOAD = "{\"id\":\"evt_1NXk2sLkdIwHu7ix\",\"object\":\"event\","
      + "\"type\":\"charge.refunded\",\"created\":" + NOW + ",\"data\":{\"object\":"
      + "{\"id\":\"ch_3NXk2s\",\"object\":\"charge\",\"amount\":1099,\"amount_refunded\":1099}}}";

  static WebhookVerifier verifier(String... secrets) {
    WebhookVerifier.Builder b = WebhookVerifier.builder().clock(CLOCK);
    for (String s : secrets) {
      b.secret(s);
    }
    return b.build();
  }

  static String hmac(String secret, long t, String payload) throws Exception {
    return Webhook.Util.computeHmacSha256(secret, t + "." + payload);
  }

  static Reason refusal(ThrowingCallable call) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).isInstanceOf(WebhookRefusedException.class);
    assertThat(t.getMessage()).doesNotContain(SECRET).doesNotContain(OLD_SECRET);
    return ((WebhookRefusedException) t).reason();
  }

  @Test
  void aPayloadSignedByStripeJavaVerifiesAndGivesTheEventExactly() throws Exception {
    String header = Webhook.Signature.generateSignatureHeader(PAYLOAD, SECRET, NOW);
    DataRecord event = verifier(SECRET).verify(PAYLOAD, header);
    assertThat(event.getString("id")).isEqualTo("evt_1NXk2sLkdIwHu7ix");
    assertThat(event.getPath("data.object.amount_refunded")).isEqualTo(1099L);
    // and stripe-java accepts what Sluice accepts
    assertThat(Webhook.Signature.verifyHeader(PAYLOAD, header, SECRET, 300, CLOCK)).isTrue();
  }

  @Test
  void aTamperedPayloadOrAnotherSecretIsABadSignature() throws Exception {
    String header = Webhook.Signature.generateSignatureHeader(PAYLOAD, SECRET, NOW);
    String tampered = PAYLOAD.replace("1099}", "9999}");
    assertThat(refusal(() -> verifier(SECRET).verify(tampered, header)))
        .isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(refusal(() -> verifier("whsec_someoneElsesSecret1234").verify(PAYLOAD, header)))
        .isEqualTo(Reason.BAD_SIGNATURE);
    String otherTime = "t=" + (NOW + 1) + ",v1=" + hmac(SECRET, NOW, PAYLOAD);
    assertThat(refusal(() -> verifier(SECRET).verify(PAYLOAD, otherTime)))
        .as("the timestamp is signed too").isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void oneValidSignatureAmongSeveralIsEnoughAndV0IsIgnored() throws Exception {
    String header = "t=" + NOW + ",v1=" + hmac("whsec_notOurs000000", NOW, PAYLOAD)
        + ",v0=" + hmac(SECRET, NOW, PAYLOAD) + ",v1=" + hmac(SECRET, NOW, PAYLOAD);
    assertThat(verifier(SECRET).verify(PAYLOAD, header).getString("type"))
        .isEqualTo("charge.refunded");
    String v0Only = "t=" + NOW + ",v0=" + hmac(SECRET, NOW, PAYLOAD);
    assertThat(refusal(() -> verifier(SECRET).verify(PAYLOAD, v0Only)))
        .isEqualTo(Reason.NO_SIGNATURE);
  }

  @Test
  void whileRotatingEitherSecretVerifies() throws Exception {
    WebhookVerifier both = verifier(SECRET, OLD_SECRET);
    assertThat(both.verify(PAYLOAD, Webhook.Signature.generateSignatureHeader(PAYLOAD, OLD_SECRET, NOW)))
        .isNotNull();
    assertThat(both.verify(PAYLOAD, Webhook.Signature.generateSignatureHeader(PAYLOAD, SECRET, NOW)))
        .isNotNull();
    assertThat(both.toString()).contains("secrets=2").doesNotContain("whsec");
  }

  @Test
  void timestampsOutsideTheToleranceAreRefusedEitherWay() throws Exception {
    String old = Webhook.Signature.generateSignatureHeader(PAYLOAD, SECRET, NOW - 301);
    assertThat(refusal(() -> verifier(SECRET).verify(PAYLOAD, old))).isEqualTo(Reason.TOO_OLD);
    String edge = Webhook.Signature.generateSignatureHeader(PAYLOAD, SECRET, NOW - 300);
    assertThat(verifier(SECRET).verify(PAYLOAD, edge)).isNotNull();
    String future = Webhook.Signature.generateSignatureHeader(PAYLOAD, SECRET, NOW + 400);
    assertThat(refusal(() -> verifier(SECRET).verify(PAYLOAD, future)))
        .isEqualTo(Reason.FROM_THE_FUTURE);
    WebhookVerifier lenient = WebhookVerifier.builder().secret(SECRET).clock(CLOCK)
        .tolerance(Duration.ofMinutes(10)).build();
    assertThat(lenient.verify(PAYLOAD, old)).isNotNull();
  }

  @Test
  void missingOrMalformedHeadersAndPayloadsSayWhich() throws Exception {
    WebhookVerifier v = verifier(SECRET);
    assertThat(refusal(() -> v.verify(PAYLOAD, null))).isEqualTo(Reason.NO_SIGNATURE);
    assertThat(refusal(() -> v.verify(PAYLOAD, "  "))).isEqualTo(Reason.NO_SIGNATURE);
    assertThat(refusal(() -> v.verify(PAYLOAD, "v1=abc"))).isEqualTo(Reason.MALFORMED);
    assertThat(refusal(() -> v.verify(PAYLOAD, "t=yesterday,v1=abc"))).isEqualTo(Reason.MALFORMED);
    String notEvent = "{\"id\":\"ch_1\",\"object\":\"charge\"}";
    assertThat(refusal(() -> v.verify(notEvent,
        Webhook.Signature.generateSignatureHeader(notEvent, SECRET, NOW)))).isEqualTo(Reason.MALFORMED);
    String notJson = "hello";
    assertThat(refusal(() -> v.verify(notJson,
        Webhook.Signature.generateSignatureHeader(notJson, SECRET, NOW)))).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void theHttpChecksComeFirstWithTheirStatus() throws Exception {
    WebhookVerifier v = WebhookVerifier.builder().secret(SECRET).clock(CLOCK)
        .maxPayloadBytes(PAYLOAD.length()).build();
    byte[] body = PAYLOAD.getBytes(StandardCharsets.UTF_8);
    String header = Webhook.Signature.generateSignatureHeader(PAYLOAD, SECRET, NOW);
    assertThat(v.verify("POST", "application/json; charset=utf-8", body, header)).isNotNull();

    WebhookRefusedException get = (WebhookRefusedException) org.assertj.core.api.Assertions
        .catchThrowable(() -> v.verify("GET", "application/json", body, header));
    assertThat(get.reason()).isEqualTo(Reason.NOT_POST);
    assertThat(get.httpStatus()).isEqualTo(405);
    assertThat(refusal(() -> v.verify("POST", "text/plain", body, header)))
        .isEqualTo(Reason.WRONG_CONTENT_TYPE);
    byte[] big = (PAYLOAD + " ").getBytes(StandardCharsets.UTF_8);
    assertThat(refusal(() -> v.verify("POST", "application/json", big, header)))
        .isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void anApiKeyGivenAsTheSecretIsRefusedWithoutRepeatingIt() {
    assertThatThrownBy(() -> WebhookVerifier.builder().secret("sk_test_4eC39HqLyjWDarjtT1zdp7dc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("this is an API key, not the endpoint's secret")
        .hasMessageNotContaining("4eC39HqLyjWDarjtT1zdp7dc");
    assertThatThrownBy(() -> WebhookVerifier.builder().build())
        .isInstanceOf(FlowDefinitionException.class).hasMessageContaining("secret is not set");
  }
}
