package dev.sluice.testkit;

import dev.sluice.testkit.internal.FaultState;
import java.time.Duration;
import java.util.Objects;

/**
 * Faults the emulator injects on demand, to test retries, timeouts and throttling. Get it from
 * {@link StripeEmulator#faults()}; every switch takes effect for the requests that arrive after it
 * and stays until changed or {@link #clear() cleared}. Counted faults ({@code …Next(n)}) hit the
 * next {@code n} requests, in this order of precedence: dropped, truncated, failed, lock timeout;
 * the rate limit applies to the requests no counted fault took.
 *
 * <pre>{@code
 * stripe.faults().latency(Duration.ofMillis(50));          // every answer 50 ms late
 * stripe.faults().failNext(2, 503, true);                  // two 503s with Stripe-Should-Retry: true
 * stripe.faults().rateLimit(25, 25);                       // 25 requests/s, then 429 rate_limit
 * stripe.faults().clear();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Faults {
  private final FaultState state;

  Faults(FaultState state) {
    this.state = state;
  }

  /**
   * Delays every answer by this much ({@link Duration#ZERO} for none).
   *
   * @throws IllegalArgumentException if negative
   */
  public Faults latency(Duration latency) {
    return latency(latency, latency);
  }

  /**
   * Delays every answer by a random time between {@code min} and {@code max}, inclusive.
   *
   * @throws IllegalArgumentException if negative or {@code max < min}
   */
  public Faults latency(Duration min, Duration max) {
    Objects.requireNonNull(min, "min == null");
    Objects.requireNonNull(max, "max == null");
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("need 0 <= min <= max, got " + min + " and " + max);
    }
    state.latency(min.toNanos(), max.toNanos());
    return this;
  }

  /**
   * Limits requests with a token bucket: {@code burst} requests at once, refilled at {@code
   * requestsPerSecond}. Requests over the limit get Stripe's 429 with code {@code rate_limit}.
   * A rate of 0 or less removes the limit.
   *
   * @throws IllegalArgumentException if {@code burst < 1} with a positive rate
   */
  public Faults rateLimit(double requestsPerSecond, int burst) {
    if (requestsPerSecond > 0 && burst < 1) {
      throw new IllegalArgumentException("burst < 1: " + burst);
    }
    state.rateLimit(requestsPerSecond, burst);
    return this;
  }

  /** Answers the next {@code n} requests with a 429 whose code is {@code lock_timeout}. */
  public Faults lockTimeoutNext(int n) {
    state.lockTimeoutNext(count(n));
    return this;
  }

  /**
   * Answers the next {@code n} requests with an {@code api_error} of this 5xx status.
   *
   * @param shouldRetry the {@code Stripe-Should-Retry} header to send, or null to send none
   * @throws IllegalArgumentException if the status is not within 500..599
   */
  public Faults failNext(int n, int status, Boolean shouldRetry) {
    if (status < 500 || status > 599) {
      throw new IllegalArgumentException("status must be a 5xx: " + status);
    }
    state.failNext(count(n), status, shouldRetry);
    return this;
  }

  /** Closes the connection of the next {@code n} requests without answering. */
  public Faults dropNext(int n) {
    state.dropNext(count(n));
    return this;
  }

  /**
   * Answers the next {@code n} requests with their full headers (and {@code Content-Length}) but
   * only half the body, then closes the connection.
   */
  public Faults truncateNext(int n) {
    state.truncateNext(count(n));
    return this;
  }

  /**
   * Makes {@code /v1/<resource>/search} lag writes as Stripe's search does: an object created,
   * updated or deleted in the last {@code lag} (by the emulator's clock, in whole seconds) is
   * answered as it was before that write, or not at all if it is new. Lists and retrieves always
   * see the latest state. {@link Duration#ZERO} (the default) indexes at once.
   *
   * @throws IllegalArgumentException if negative
   */
  public Faults searchLag(Duration lag) {
    Objects.requireNonNull(lag, "lag == null");
    if (lag.isNegative()) {
      throw new IllegalArgumentException("searchLag is negative: " + lag);
    }
    state.searchLag(lag.toSeconds());
    return this;
  }

  /**
   * Makes {@code /v1/events} eventually consistent as Stripe's is: each event becomes visible (to
   * lists and retrieves) only some time after its {@code created}, between none and {@code
   * maxLateness} (whole seconds, by the emulator's clock), so an event can appear after events
   * created later than it. Each event's delay is fixed (derived from the seed and its id).
   * {@link Duration#ZERO} (the default) shows every event at once.
   *
   * @throws IllegalArgumentException if negative
   */
  public Faults eventLateness(Duration maxLateness) {
    Objects.requireNonNull(maxLateness, "maxLateness == null");
    if (maxLateness.isNegative()) {
      throw new IllegalArgumentException("eventLateness is negative: " + maxLateness);
    }
    state.eventLateness(maxLateness.toSeconds());
    return this;
  }

  /** Switches every fault off. */
  public Faults clear() {
    state.clear();
    return this;
  }

  private static int count(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n < 0: " + n);
    }
    return n;
  }
}
