package dev.sluice.stripe;

import dev.sluice.core.SluiceException;

/**
 * The Stripe API refused a request, or could not be reached. The root of every Stripe failure
 * Sluice reports; subclasses say what a caller can do about it.
 *
 * <p>Carries what Stripe said: the HTTP status, Stripe's {@code Request-Id}, the error's {@code
 * type}, {@code code} and {@code param}. Messages never contain an API key: keys Stripe echoes are
 * masked.
 */
public class StripeException extends SluiceException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final String requestId;
  private final String type;
  private final String stripeCode;
  private final String param;

  /**
   * Creates the exception.
   *
   * @param message one line saying what failed and what to do
   * @param httpStatus the HTTP status, or 0 when no answer came
   * @param requestId Stripe's request id, or {@code null}
   * @param type Stripe's error type ({@code invalid_request_error}, …), or {@code null}
   * @param stripeCode Stripe's error code ({@code resource_missing}, …), or {@code null}
   * @param param the request parameter at fault, or {@code null}
   * @param cause the underlying exception, or {@code null}
   */
  public StripeException(
      String message,
      int httpStatus,
      String requestId,
      String type,
      String stripeCode,
      String param,
      Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.requestId = requestId;
    this.type = type;
    this.stripeCode = stripeCode;
    this.param = param;
  }

  /** The HTTP status of Stripe's answer, or 0 when no answer came. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Stripe's {@code Request-Id} for the failed request, or {@code null}. */
  public String requestId() {
    return requestId;
  }

  /** Stripe's error type, such as {@code invalid_request_error}, or {@code null}. */
  public String type() {
    return type;
  }

  /** Stripe's error code, such as {@code resource_missing}, or {@code null}. */
  public String stripeCode() {
    return stripeCode;
  }

  /** The request parameter Stripe blamed, or {@code null}. */
  public String param() {
    return param;
  }

  @Override
  public String code() {
    return "STRIPE_ERROR";
  }
}
