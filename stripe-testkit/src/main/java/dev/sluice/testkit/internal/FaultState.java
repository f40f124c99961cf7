package dev.sluice.testkit.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** The faults switched on through the public {@code Faults} API; read by {@link HttpFront}. */
public final class FaultState {
  /** What to do to one request. */
  public enum Action {
    /** Answer normally. */
    NONE,
    /** Close the connection without an answer. */
    DROP,
    /** Send half the body, then close. */
    TRUNCATE,
    /** Answer with a 5xx. */
    FAIL,
    /** Answer 429 lock_timeout. */
    LOCK_TIMEOUT,
    /** Answer 429 rate_limit. */
    RATE_LIMITED
  }

  private volatile long latencyMinNanos;
  private volatile long latencyMaxNanos;
  private final AtomicInteger dropNext = new AtomicInteger();
  private final AtomicInteger truncateNext = new AtomicInteger();
  private final AtomicInteger lockTimeoutNext = new AtomicInteger();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile int failStatus = 500;
  private volatile Boolean failShouldRetry;
  private volatile TokenBucket bucket;
  private volatile long searchLagSeconds;
  private volatile long eventLatenessSeconds;

  /** Sets the latency range, nanoseconds. */
  public void latency(long minNanos, long maxNanos) {
    this.latencyMinNanos = minNanos;
    this.latencyMaxNanos = maxNanos;
  }

  /** The latency to add to one request, in nanoseconds. */
  public long nextLatencyNanos() {
    long min = latencyMinNanos;
    long max = latencyMaxNanos;
    return max <= min ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
  }

  /** Drops the next {@code n} connections. */
  public void dropNext(int n) {
    dropNext.set(n);
  }

  /** Truncates the next {@code n} bodies. */
  public void truncateNext(int n) {
    truncateNext.set(n);
  }

  /** Answers the next {@code n} requests 429 lock_timeout. */
  public void lockTimeoutNext(int n) {
    lockTimeoutNext.set(n);
  }

  /** Answers the next {@code n} requests with a 5xx. */
  public void failNext(int n, int status, Boolean shouldRetry) {
    failStatus = status;
    failShouldRetry = shouldRetry;
    failNext.set(n);
  }

  /** The status of injected failures. */
  public int failStatus() {
    return failStatus;
  }

  /** The Stripe-Should-Retry value of injected failures, or null. */
  public Boolean failShouldRetry() {
    return failShouldRetry;
  }

  /** Sets the token bucket; a rate of 0 removes it. */
  public void rateLimit(double perSecond, int burst) {
    bucket = perSecond <= 0 ? null : new TokenBucket(perSecond, burst);
  }

  /** Switches every fault off. */
  public void clear() {
    latency(0, 0);
    dropNext.set(0);
    truncateNext.set(0);
    lockTimeoutNext.set(0);
    failNext.set(0);
    bucket = null;
    searchLagSeconds = 0;
    eventLatenessSeconds = 0;
  }

  /** Sets the most seconds an event may stay invisible after its creation (0: none). */
  public void eventLateness(long seconds) {
    eventLatenessSeconds = seconds;
  }

  /** The most seconds an event may stay invisible after its creation. */
  public long eventLatenessSeconds() {
    return eventLatenessSeconds;
  }

  /** Sets how many seconds a write takes to reach search results (0: at once). */
  public void searchLag(long seconds) {
    searchLagSeconds = seconds;
  }

  /** How many seconds a write takes to reach search results. */
  public long searchLagSeconds() {
    return searchLagSeconds;
  }

  /** Decides, and counts down, what happens to the next request. */
  public Action next() {
    if (take(dropNext)) {
      return Action.DROP;
    }
    if (take(truncateNext)) {
      return Action.TRUNCATE;
    }
    if (take(failNext)) {
      return Action.FAIL;
    }
    if (take(lockTimeoutNext)) {
      return Action.LOCK_TIMEOUT;
    }
    TokenBucket b = bucket;
    if (b != null && !b.tryTake()) {
      return Action.RATE_LIMITED;
    }
    return Action.NONE;
  }

  private static boolean take(AtomicInteger counter) {
    while (true) {
      int n = counter.get();
      if (n <= 0) {
        return false;
      }
      if (counter.compareAndSet(n, n - 1)) {
        return true;
      }
    }
  }

  /** A token bucket refilled continuously at a rate, holding at most {@code burst} tokens. */
  static final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, int burst) {
      this.perNano = perSecond / 1e9;
      this.capacity = Math.max(1, burst);
      this.tokens = capacity;
      this.last = System.nanoTime();
    }

    synchronized boolean tryTake() {
      long now = System.nanoTime();
      tokens = Math.min(capacity, tokens + (now - last) * perNano);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
