package dev.sluice.stripe;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.stripe.internal.StripeTransport;
import java.time.Duration;
import java.util.Objects;

/**
 * A connection to one Stripe account: the API key, where the API is, and the one HTTP transport
 * every Stripe call through this connection shares.
 *
 * <pre>{@code
 * StripeConnection stripe = StripeConnection.builder()
 *     .apiKey(System.getenv("STRIPE_API_KEY"))
 *     .build();
 * SourceConnection charges = stripe.source("charges");
 * }</pre>
 *
 * <p>Immutable and safe to share between threads; build one per account and reuse it, so that
 * every reader shares its connection pool. Derive a changed copy with {@link #newBuilder()}. There
 * is nothing to close: idle connections are released on their own. {@link #toString()} never shows
 * the key.
 */
public final class StripeConnection {
  /** Stripe's production API base. */
  public static final String DEFAULT_API_BASE = "https://api.stripe.com";

  private final String apiKey;
  private final String apiBase;
  private final String stripeAccount;
  private final String stripeVersion;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxRetries;
  private final Duration initialBackoff;
  private final StripeTransport transport;

  private StripeConnection(Builder b) {
    this.apiKey = b.apiKey;
    this.apiBase = b.apiBase;
    this.stripeAccount = b.stripeAccount;
    this.stripeVersion = b.stripeVersion;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.maxRetries = b.maxRetries;
    this.initialBackoff = b.initialBackoff;
    this.transport =
        new StripeTransport(
            apiKey, apiBase, stripeAccount, stripeVersion, connectTimeout, readTimeout, maxRetries,
            initialBackoff);
  }

  /** Returns a builder for a new connection. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this connection's settings. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /**
   * A source reading one Stripe resource, such as {@code "charges"} or {@code "customers"}.
   *
   * @throws IllegalArgumentException naming the resource when the catalog does not know it
   */
  public SourceConnection source(String resource) {
    StripeResource known = StripeCatalog.require(Objects.requireNonNull(resource, "resource == null"));
    return new SourceConnection(this, known);
  }

  /** Whether the key is a live-mode key (else a test-mode key). */
  public boolean livemode() {
    return apiKey.contains("_live_");
  }

  /** Where the API is, such as {@code https://api.stripe.com}. */
  public String apiBase() {
    return apiBase;
  }

  /** The connected account this connection acts for ({@code Stripe-Account}), or {@code null}. */
  public String stripeAccount() {
    return stripeAccount;
  }

  /** The pinned {@code Stripe-Version}, or {@code null} to use the account's default. */
  public String stripeVersion() {
    return stripeVersion;
  }

  String apiKey() {
    return apiKey;
  }

  StripeTransport transport() {
    return transport;
  }

  /** Describes the connection without its key. */
  @Override
  public String toString() {
    return "StripeConnection{mode="
        + (livemode() ? "live" : "test")
        + ", apiBase="
        + apiBase
        + (stripeAccount == null ? "" : ", stripeAccount=" + stripeAccount)
        + "}";
  }

  /** Builds a {@link StripeConnection}; setters check their argument, {@link #build()} the rest. */
  public static final class Builder {
    private String apiKey;
    private String apiBase = DEFAULT_API_BASE;
    private String stripeAccount;
    private String stripeVersion;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration readTimeout = Duration.ofSeconds(80);
    private int maxRetries = 3;
    private Duration initialBackoff = Duration.ofMillis(500);

    private Builder() {}

    private Builder(StripeConnection c) {
      apiKey = c.apiKey;
      apiBase = c.apiBase;
      stripeAccount = c.stripeAccount;
      stripeVersion = c.stripeVersion;
      connectTimeout = c.connectTimeout;
      readTimeout = c.readTimeout;
      maxRetries = c.maxRetries;
      initialBackoff = c.initialBackoff;
    }

    /**
     * The secret ({@code sk_…}) or restricted ({@code rk_…}) API key. Required.
     *
     * @throws IllegalArgumentException if it is not a secret or restricted key (the message does
     *     not repeat the key)
     */
    public Builder apiKey(String apiKey) {
      Objects.requireNonNull(apiKey, "apiKey == null");
      if (!apiKey.matches("(sk|rk)_(test|live)_[A-Za-z0-9_]+")) {
        String kind = apiKey.startsWith("pk_") ? "a publishable key (pk_…)" : "not a Stripe secret key";
        throw new IllegalArgumentException(
            "apiKey is "
                + kind
                + ": use a secret key (sk_test_… or sk_live_…) or a restricted key (rk_…)");
      }
      this.apiKey = apiKey;
      return this;
    }

    /**
     * Where the API is. Defaults to {@link #DEFAULT_API_BASE}; point it at the Sluice emulator,
     * stripe-mock or another Stripe-compatible server for tests.
     *
     * @throws IllegalArgumentException if it is not an http or https URL
     */
    public Builder apiBase(String apiBase) {
      Objects.requireNonNull(apiBase, "apiBase == null");
      if (!apiBase.matches("https?://[^\\s/]+(/[^\\s]*)?")) {
        throw new IllegalArgumentException(
            "apiBase '" + apiBase + "' is not an http(s) URL such as https://api.stripe.com");
      }
      this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
      return this;
    }

    /** Act for this connected account ({@code acct_…}), sent as {@code Stripe-Account}. */
    public Builder stripeAccount(String accountId) {
      if (accountId != null && !accountId.startsWith("acct_")) {
        throw new IllegalArgumentException("stripeAccount '" + accountId + "' is not an account id (acct_…)");
      }
      this.stripeAccount = accountId;
      return this;
    }

    /** Pin the API version ({@code Stripe-Version}), such as {@code 2024-06-20}. */
    public Builder stripeVersion(String version) {
      this.stripeVersion = version;
      return this;
    }

    /** How long to wait for a connection. Default 30 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** How long to wait for data on an open connection. Default 80 s, as stripe-java. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /**
     * How many times a failed request is tried again (429, 409, 5xx, connection failures, cut
     * answers). Default 3; 0 turns retries off.
     */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must be 0 or more, was " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** The wait before the first retry; each further retry doubles it, with jitter. Default 500 ms. */
    public Builder initialBackoff(Duration backoff) {
      Objects.requireNonNull(backoff, "initialBackoff == null");
      if (backoff.isNegative()) {
        throw new IllegalArgumentException("initialBackoff is negative: " + backoff);
      }
      this.initialBackoff = backoff;
      return this;
    }

    /**
     * Returns the connection.
     *
     * @throws IllegalStateException if no API key was set
     */
    public StripeConnection build() {
      if (apiKey == null) {
        throw new IllegalStateException(
            "apiKey is not set: call apiKey(...) with a secret key (sk_…) or restricted key (rk_…)");
      }
      return new StripeConnection(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what + " == null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }
  }
}
