package dev.sluice.stripe.webhook;

import dev.sluice.stripe.webhook.WebhookRefusedException.Reason;
import dev.sluice.xdm.DataRecord;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook delivery the way Stripe signs it: the {@code Stripe-Signature} header carries a
 * timestamp {@code t} and one or more {@code v1} signatures, each an HMAC-SHA256 of {@code
 * "<t>.<payload>"} under an endpoint's signing secret ({@code whsec_…}). A delivery is accepted
 * when any {@code v1} signature matches under any configured secret (several secrets let you
 * rotate one without refusing deliveries signed with the other) and {@code t} is within the
 * tolerance of now (default 300 s, as Stripe's libraries); signatures are compared in constant
 * time.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder()
 *     .secret(System.getenv("STRIPE_WEBHOOK_SECRET"))
 *     .build();
 * DataRecord event = verifier.verify(payload, request.getHeader("Stripe-Signature"));
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows no secret.
 */
public final class WebhookVerifier {
  /** How far the signed timestamp may be from now unless set otherwise: 300 s. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);

  /** The largest payload taken unless set otherwise: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

  private final List<byte[]> secrets;
  private final Duration tolerance;
  private final Clock clock;
  private final int maxPayloadBytes;

  private WebhookVerifier(Builder b) {
    this.secrets = List.copyOf(b.secrets);
    this.tolerance = b.tolerance;
    this.clock = b.clock;
    this.maxPayloadBytes = b.maxPayloadBytes;
  }

  /** A builder; at least one secret is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The tolerance on the signed timestamp. */
  public Duration tolerance() {
    return tolerance;
  }

  /** The largest payload, in bytes, a delivery may have. */
  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /**
   * Checks a whole HTTP delivery: a POST with {@code application/json} content, a body within the
   * size limit, and a valid signature.
   *
   * @param method the request's HTTP method
   * @param contentType its {@code Content-Type} header, or null
   * @param body its raw body, exactly as received
   * @param signatureHeader its {@code Stripe-Signature} header, or null
   * @return the event
   * @throws WebhookRefusedException saying why the delivery is refused and with which status
   */
  public DataRecord verify(String method, String contentType, byte[] body, String signatureHeader) {
    if (method == null || !method.equalsIgnoreCase("POST")) {
      throw new WebhookRefusedException(Reason.NOT_POST, "A webhook delivery is a POST; this"
          + " request is a " + (method == null ? "request without a method" : method));
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).strip();
    if (!(type.equals("application/json") || type.startsWith("application/json;"))) {
      throw new WebhookRefusedException(Reason.WRONG_CONTENT_TYPE, "A webhook delivery has"
          + " Content-Type application/json; this one has "
          + (contentType == null ? "none" : "'" + contentType.replaceAll("[^\\x20-\\x7e]", "?") + "'"));
    }
    return verify(body, signatureHeader);
  }

  /**
   * Checks a payload against its {@code Stripe-Signature} header.
   *
   * @param payload the raw request body, exactly as received (not re-serialised)
   * @param signatureHeader the {@code Stripe-Signature} header, or null
   * @return the event
   * @throws WebhookRefusedException saying why the payload is refused
   */
  public DataRecord verify(String payload, String signatureHeader) {
    Objects.requireNonNull(payload, "payload == null");
    return verify(payload.getBytes(StandardCharsets.UTF_8), signatureHeader);
  }

  private DataRecord verify(byte[] body, String signatureHeader) {
    Objects.requireNonNull(body, "body == null");
    if (body.length > maxPayloadBytes) {
      throw new WebhookRefusedException(Reason.TOO_LARGE, "The payload has " + body.length
          + " bytes, more than the " + maxPayloadBytes + " this receiver takes (raise"
          + " maxPayloadBytes if your events are this large)");
    }
    if (signatureHeader == null || signatureHeader.isBlank()) {
      throw new WebhookRefusedException(Reason.NO_SIGNATURE, "The request has no"
          + " Stripe-Signature header: it was not sent by Stripe, or a proxy dropped the header");
    }
    Long timestamp = null;
    List<String> signatures = new ArrayList<>();
    for (String item : signatureHeader.split(",")) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = item.substring(0, eq).strip();
      String value = item.substring(eq + 1).strip();
      if (key.equals("t")) {
        try {
          timestamp = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new WebhookRefusedException(Reason.MALFORMED, "The Stripe-Signature header's"
              + " timestamp t is not a number of seconds");
        }
      } else if (key.equals("v1")) {
        signatures.add(value);
      }
    }
    if (timestamp == null) {
      throw new WebhookRefusedException(Reason.MALFORMED, "The Stripe-Signature header has no"
          + " timestamp (t=…): it is not a header Stripe wrote");
    }
    if (signatures.isEmpty()) {
      throw new WebhookRefusedException(Reason.NO_SIGNATURE, "The Stripe-Signature header has no"
          + " v1 signature: Stripe signs every delivery with v1");
    }
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
    boolean matched = false;
    for (byte[] secret : secrets) {
      byte[] expected = hex(hmac(secret, prefix, body)).getBytes(StandardCharsets.US_ASCII);
      for (String signature : signatures) {
        // Compare every pair, never stopping early: the time taken tells nothing.
        matched |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
      }
    }
    if (!matched) {
      throw new WebhookRefusedException(Reason.BAD_SIGNATURE, "No v1 signature matches the"
          + " payload under the " + secrets.size() + " signing secret(s) configured: check the"
          + " endpoint's secret (whsec_…), and that the body reaches the receiver unchanged"
          + " (not parsed and re-serialised)");
    }
    long now = clock.instant().getEpochSecond();
    long slack = tolerance.getSeconds();
    if (timestamp < now - slack) {
      throw new WebhookRefusedException(Reason.TOO_OLD, "The delivery was signed " + (now - timestamp)
          + " s ago, more than the tolerance of " + slack + " s: a replay, or a clock out of step");
    }
    if (timestamp > now + slack) {
      throw new WebhookRefusedException(Reason.FROM_THE_FUTURE, "The delivery is signed "
          + (timestamp - now) + " s in the future, more than the tolerance of " + slack
          + " s: check this machine's clock");
    }
    DataRecord event;
    try {
      event = DataRecord.fromJson(new String(body, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new WebhookRefusedException(Reason.MALFORMED, "The payload is signed but is not a"
          + " JSON object");
    }
    String id = event.getString("id");
    if (id == null || !"event".equals(event.getString("object")) || event.getString("type") == null) {
      throw new WebhookRefusedException(Reason.MALFORMED, "The payload is signed but is not a"
          + " Stripe event (it needs id, \"object\": \"event\" and type)");
    }
    return event;
  }

  private static byte[] hmac(byte[] secret, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(prefix);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM has no HmacSHA256, which every Java has", e);
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  /** Says how many secrets and what tolerance, never a secret. */
  @Override
  public String toString() {
    return "WebhookVerifier{secrets=" + secrets.size() + ", tolerance=" + tolerance.getSeconds()
        + "s, maxPayloadBytes=" + maxPayloadBytes + "}";
  }

  /** Builds a {@link WebhookVerifier}. */
  public static final class Builder {
    private final List<byte[]> secrets = new ArrayList<>();
    private Duration tolerance = DEFAULT_TOLERANCE;
    private Clock clock = Clock.systemUTC();
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;

    private Builder() {}

    /**
     * Adds an endpoint signing secret ({@code whsec_…}, from the Dashboard, the API or {@code
     * stripe listen}); call it twice while rotating a secret.
     *
     * @throws IllegalArgumentException if it is not a signing secret (an API key given by
     *     mistake, say); the message does not repeat it
     */
    public Builder secret(String secret) {
      Objects.requireNonNull(secret, "secret == null");
      String s = secret.strip();
      if (!s.startsWith("whsec_") || s.length() <= 6) {
        throw new IllegalArgumentException("secret: a webhook signing secret starts with whsec_"
            + (s.matches("(sk|rk|pk)_.*") ? "; this is an API key, not the endpoint's secret" : "")
            + " (find it on the endpoint's page in the Dashboard, or in stripe listen's output)");
      }
      secrets.add(s.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /**
     * How far the signed timestamp may be from now, either way; default {@link
     * #DEFAULT_TOLERANCE}. Stripe retries a failed delivery with a new timestamp, so a short
     * tolerance loses nothing.
     *
     * @throws IllegalArgumentException unless positive
     */
    public Builder tolerance(Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance == null");
      if (tolerance.isNegative() || tolerance.isZero()) {
        throw new IllegalArgumentException("tolerance must be positive, was " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /** The clock timestamps are checked against; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * The largest payload taken, in bytes; default {@link #DEFAULT_MAX_PAYLOAD_BYTES}.
     *
     * @throws IllegalArgumentException unless positive
     */
    public Builder maxPayloadBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxPayloadBytes must be positive, was " + bytes);
      }
      this.maxPayloadBytes = bytes;
      return this;
    }

    /**
     * Returns the verifier.
     *
     * @throws dev.sluice.core.FlowDefinitionException if no secret was given
     */
    public WebhookVerifier build() {
      if (secrets.isEmpty()) {
        throw new dev.sluice.core.FlowDefinitionException(List.of("secret is not set: give the"
            + " endpoint's signing secret (whsec_…) with secret(...)"));
      }
      return new WebhookVerifier(this);
    }
  }
}
