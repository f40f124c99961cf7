package dev.sluice.stripe.webhook;

import dev.sluice.core.SluiceException;
import java.util.Locale;
import java.util.Objects;

/**
 * A webhook delivery that was not accepted, with the precise reason and the HTTP status to answer
 * Stripe with. The message never holds the signing secret or the payload.
 */
public final class WebhookRefusedException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** Why a delivery was refused. */
  public enum Reason {
    /** The request has no {@code Stripe-Signature} header, or it holds no {@code v1} signature. */
    NO_SIGNATURE(400),
    /** No {@code v1} signature matches the payload under any of the secrets. */
    BAD_SIGNATURE(400),
    /** The signed timestamp is older than the tolerance: a replay, or a delivery held too long. */
    TOO_OLD(400),
    /** The signed timestamp lies further in the future than the tolerance allows. */
    FROM_THE_FUTURE(400),
    /** The header or the payload is not what Stripe sends (no timestamp, not a JSON event). */
    MALFORMED(400),
    /** The request is not a POST. */
    NOT_POST(405),
    /** The payload is larger than the receiver takes. */
    TOO_LARGE(413),
    /** The content type is not {@code application/json}. */
    WRONG_CONTENT_TYPE(415),
    /** The receiver's queue is full: Stripe should retry later. */
    QUEUE_FULL(503);

    private final int httpStatus;

    Reason(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    /** The HTTP status a receiver answers for this reason. */
    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Reason reason;

  /** A refusal for {@code reason}, with a message saying what was wrong. */
  public WebhookRefusedException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  /** Why the delivery was refused. */
  public Reason reason() {
    return reason;
  }

  /** The HTTP status to answer with. */
  public int httpStatus() {
    return reason.httpStatus();
  }

  @Override
  public String code() {
    return "WEBHOOK_" + reason.name().toUpperCase(Locale.ROOT);
  }

  @Override
  public boolean isRetryable() {
    return reason == Reason.QUEUE_FULL;
  }
}
