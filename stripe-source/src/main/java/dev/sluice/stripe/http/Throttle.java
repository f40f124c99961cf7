package dev.sluice.stripe.http;

import java.util.Objects;

/**
 * How fast a connection may send requests: token buckets shared by every reader, entity operation
 * and action using the connection. A request that would go over a limit waits (in arrival order,
 * interruptibly) until it may go; it is never refused.
 *
 * <p>Three limits apply together, each a rate in requests per second:
 *
 * <ul>
 *   <li>the account limit, by mode: {@link #liveRequestsPerSecond()} (Stripe: 100) with a live
 *       key, {@link #testRequestsPerSecond()} (Stripe: 25) with a test key;
 *   <li>{@link #perEndpointPerSecond()} for each endpoint (method and path, ids left out; Stripe:
 *       25);
 *   <li>{@link #searchPerSecond()} for all {@code /search} calls together (Stripe: 20).
 * </ul>
 *
 * <pre>{@code
 * Throttle.stripeDefaults();                 // Stripe's published limits
 * Throttle.perSecond(6);                     // 6 requests/s in all, as the Google connector per node
 * Throttle.builder().requestsPerSecond(50).burst(5).build();
 * }</pre>
 *
 * <p>{@link #UNLIMITED} turns a limit off. {@link #burst()} is how many requests may start at once
 * after a quiet spell; with the default of 1, requests are spaced evenly. Immutable.
 */
public final class Throttle {
  /** A rate meaning "no limit". */
  public static final double UNLIMITED = Double.POSITIVE_INFINITY;

  private static final Throttle DEFAULTS = new Builder().build();
  private static final Throttle NONE =
      new Builder().requestsPerSecond(UNLIMITED).perEndpointPerSecond(UNLIMITED).searchPerSecond(UNLIMITED).build();

  private final double liveRequestsPerSecond;
  private final double testRequestsPerSecond;
  private final double perEndpointPerSecond;
  private final double searchPerSecond;
  private final int burst;

  private Throttle(Builder b) {
    liveRequestsPerSecond = b.live;
    testRequestsPerSecond = b.test;
    perEndpointPerSecond = b.perEndpoint;
    searchPerSecond = b.search;
    burst = b.burst;
  }

  /** Stripe's published limits: 100/s live, 25/s test, 25/s per endpoint, 20/s for search. */
  public static Throttle stripeDefaults() {
    return DEFAULTS;
  }

  /** Stripe's defaults with the account limit set to {@code requestsPerSecond} in both modes. */
  public static Throttle perSecond(double requestsPerSecond) {
    return new Builder().requestsPerSecond(requestsPerSecond).build();
  }

  /** No limits at all (Stripe may then answer 429, which is retried). */
  public static Throttle none() {
    return NONE;
  }

  /** Returns a builder starting from Stripe's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding these limits. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** The account limit with a live key, requests per second. */
  public double liveRequestsPerSecond() {
    return liveRequestsPerSecond;
  }

  /** The account limit with a test key, requests per second. */
  public double testRequestsPerSecond() {
    return testRequestsPerSecond;
  }

  /** The account limit for a key of this mode, requests per second. */
  public double requestsPerSecond(boolean livemode) {
    return livemode ? liveRequestsPerSecond : testRequestsPerSecond;
  }

  /** The limit of each endpoint, requests per second. */
  public double perEndpointPerSecond() {
    return perEndpointPerSecond;
  }

  /** The limit of all search calls together, requests per second. */
  public double searchPerSecond() {
    return searchPerSecond;
  }

  /** How many requests may start at once after a quiet spell. */
  public int burst() {
    return burst;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Throttle t
        && liveRequestsPerSecond == t.liveRequestsPerSecond
        && testRequestsPerSecond == t.testRequestsPerSecond
        && perEndpointPerSecond == t.perEndpointPerSecond
        && searchPerSecond == t.searchPerSecond
        && burst == t.burst;
  }

  @Override
  public int hashCode() {
    return Objects.hash(liveRequestsPerSecond, testRequestsPerSecond, perEndpointPerSecond, searchPerSecond, burst);
  }

  @Override
  public String toString() {
    return "Throttle{live=" + rate(liveRequestsPerSecond) + ", test=" + rate(testRequestsPerSecond)
        + ", perEndpoint=" + rate(perEndpointPerSecond) + ", search=" + rate(searchPerSecond)
        + ", burst=" + burst + "}";
  }

  private static String rate(double r) {
    if (r == UNLIMITED) {
      return "unlimited";
    }
    return (r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r)) + "/s";
  }

  /** Builds a {@link Throttle}; every setter checks its argument. */
  public static final class Builder {
    private double live = 100;
    private double test = 25;
    private double perEndpoint = 25;
    private double search = 20;
    private int burst = 1;

    private Builder() {}

    private Builder(Throttle t) {
      live = t.liveRequestsPerSecond;
      test = t.testRequestsPerSecond;
      perEndpoint = t.perEndpointPerSecond;
      search = t.searchPerSecond;
      burst = t.burst;
    }

    /** Sets the account limit of both modes. */
    public Builder requestsPerSecond(double rate) {
      live = check(rate, "requestsPerSecond");
      test = live;
      return this;
    }

    /** The account limit with a live key. Default 100. */
    public Builder liveRequestsPerSecond(double rate) {
      live = check(rate, "liveRequestsPerSecond");
      return this;
    }

    /** The account limit with a test key. Default 25. */
    public Builder testRequestsPerSecond(double rate) {
      test = check(rate, "testRequestsPerSecond");
      return this;
    }

    /** The limit of each endpoint. Default 25. */
    public Builder perEndpointPerSecond(double rate) {
      perEndpoint = check(rate, "perEndpointPerSecond");
      return this;
    }

    /** The limit of all search calls together. Default 20. */
    public Builder searchPerSecond(double rate) {
      search = check(rate, "searchPerSecond");
      return this;
    }

    /** How many requests may start at once after a quiet spell, 1 or more. Default 1. */
    public Builder burst(int burst) {
      if (burst < 1) {
        throw new IllegalArgumentException("burst must be 1 or more, was " + burst);
      }
      this.burst = burst;
      return this;
    }

    /** Returns the throttle. */
    public Throttle build() {
      return new Throttle(this);
    }

    private static double check(double rate, String what) {
      if (Double.isNaN(rate) || rate <= 0) {
        throw new IllegalArgumentException(
            what + " must be a positive number of requests per second (or Throttle.UNLIMITED), was " + rate);
      }
      return rate;
    }
  }
}
