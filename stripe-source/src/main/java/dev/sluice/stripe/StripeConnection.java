package dev.sluice.stripe;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.stripe.http.ConnectionCheck;
import dev.sluice.stripe.http.ProxySettings;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.stripe.internal.StripeTransport;
import dev.sluice.stripe.internal.http.ConnectionTester;
import dev.sluice.stripe.internal.http.RateLimiter;
import dev.sluice.stripe.ops.StripeOperations;
import dev.sluice.stripe.ops.internal.OperationsImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.X509TrustManager;

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
 * <p>Everything through one connection shares one HTTP client: its connection pool, its
 * {@linkplain Builder#throttle throttle} (Stripe's rate limits by default), its {@linkplain
 * Builder#proxy proxy}, its retries and its {@linkplain Builder#verbosity logging}. Check a key
 * before use with {@link #test()}:
 *
 * <pre>{@code
 * StripeConnection stripe = StripeConnection.builder()
 *     .apiKey(secrets.get("stripe"))
 *     .stripeAccount("acct_1Nv0FGQ9RKHgCVdK")
 *     .proxy(ProxySettings.builder().host("proxy.corp").port(3128).basicAuth("svc", pw).build())
 *     .throttle(Throttle.perSecond(6))
 *     .verbosity(3)
 *     .build();
 * ConnectionCheck check = stripe.test();
 * }</pre>
 *
 * <p>Immutable and safe to share between threads; build one per account and reuse it, so that
 * every reader shares its connection pool and throttle. Derive a changed copy with {@link
 * #newBuilder()} (the copy has a client and throttle of its own). There is nothing to close: idle
 * connections are released on their own. {@link #toString()} never shows the key or the proxy
 * password.
 */
public final class StripeConnection {
  /** Stripe's production API base. */
  public static final String DEFAULT_API_BASE = "https://api.stripe.com";

  /** The settings, kept once: the transport is made from them and a {@link #newBuilder()} copies them. */
  private final StripeTransport.Config config;
  private final StripeTransport transport;
  private final StripeOperations operations;

  private StripeConnection(Builder b) {
    this.config =
        new StripeTransport.Config(
            b.apiKey, b.apiBase, b.stripeAccount, b.stripeVersion, b.connectTimeout, b.readTimeout,
            b.maxRetries, b.initialBackoff, b.maxBackoff, b.proxy, b.throttle, b.verbosity,
            b.trustManager, b.ticker);
    this.transport = new StripeTransport(config);
    this.operations = new OperationsImpl(transport);
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

  /**
   * Entity operations (list with a filter clause, get, create, update, delete) and actions
   * (confirm, capture, cancel a payment intent; attach, detach a payment method; finalize an
   * invoice; finalize, accept, cancel a quote) over this connection's transport. The same
   * instance every call, so it knows this connection's recent writes (see {@link
   * StripeOperations#SEARCH_FRESHNESS}).
   */
  public StripeOperations operations() {
    return operations;
  }

  /** Whether the key is a live-mode key (else a test-mode key). */
  public boolean livemode() {
    return config.livemode();
  }

  /** Where the API is, such as {@code https://api.stripe.com}. */
  public String apiBase() {
    return config.apiBase();
  }

  /** The connected account this connection acts for ({@code Stripe-Account}), or {@code null}. */
  public String stripeAccount() {
    return config.stripeAccount();
  }

  /** The pinned {@code Stripe-Version}, or {@code null} to use the account's default. */
  public String stripeVersion() {
    return config.stripeVersion();
  }

  String apiKey() {
    return config.apiKey();
  }

  /** Whether the key is a restricted key ({@code rk_…}), which may be refused some resources. */
  public boolean restrictedKey() {
    return config.apiKey().startsWith("rk_");
  }

  /** The proxy every call goes through, or {@code null} for none (or the JVM's default proxy selector). */
  public ProxySettings proxy() {
    return config.proxy();
  }

  /** The rate limits every call through this connection shares. */
  public Throttle throttle() {
    return config.throttle();
  }

  /** How much is logged, 1 (failures only) to 5 (every byte and TLS detail). */
  public int verbosity() {
    return config.verbosity();
  }

  /**
   * Tests the connection: whether Stripe accepts the key (a {@code GET /v1/balance}), its mode,
   * and what it may read. For a restricted key every catalog resource is asked for one object,
   * through the throttle, to sort them into readable and forbidden; a secret key is taken to read
   * everything. Never throws for what Stripe answers or for an unreachable API: the result says
   * what went wrong.
   */
  public ConnectionCheck test() {
    return ConnectionTester.test(transport, livemode(), restrictedKey());
  }

  /**
   * Explores the account: the resources the key can read, previews, and schemas in the AEP
   * explore format.
   */
  public StripeExplorer explore() {
    return new StripeExplorer(this);
  }

  /** The transport every Stripe call of this connection goes through. Not public API. */
  StripeTransport transport() {
    return transport;
  }

  /** Describes the connection without its key or the proxy password. */
  @Override
  public String toString() {
    return "StripeConnection{mode="
        + (livemode() ? "live" : "test")
        + (restrictedKey() ? ", restrictedKey" : "")
        + ", apiBase="
        + apiBase()
        + (stripeAccount() == null ? "" : ", stripeAccount=" + stripeAccount())
        + (stripeVersion() == null ? "" : ", stripeVersion=" + stripeVersion())
        + (proxy() == null ? "" : ", proxy=" + proxy())
        + ", throttle=" + throttle()
        + ", verbosity=" + verbosity()
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
    private Duration maxBackoff = Duration.ofSeconds(30);
    private ProxySettings proxy;
    private Throttle throttle = Throttle.stripeDefaults();
    private int verbosity = 1;
    private X509TrustManager trustManager;
    private RateLimiter.Ticker ticker = RateLimiter.Ticker.SYSTEM;

    private Builder() {}

    private Builder(StripeConnection c) {
      StripeTransport.Config s = c.config;
      apiKey = s.apiKey();
      apiBase = s.apiBase();
      stripeAccount = s.stripeAccount();
      stripeVersion = s.stripeVersion();
      connectTimeout = s.connectTimeout();
      readTimeout = s.readTimeout();
      maxRetries = s.maxRetries();
      initialBackoff = s.initialBackoff();
      maxBackoff = s.maxBackoff();
      proxy = s.proxy();
      throttle = s.throttle();
      verbosity = s.verbosity();
      trustManager = s.trustManager();
      ticker = s.ticker();
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
      this.initialBackoff = notNegative(backoff, "initialBackoff");
      return this;
    }

    /** The longest wait between two tries, whatever the backoff or {@code Retry-After} ask. Default 30 s. */
    public Builder maxBackoff(Duration backoff) {
      this.maxBackoff = notNegative(backoff, "maxBackoff");
      return this;
    }

    /**
     * Send every call through this HTTP proxy; {@code null} (the default) for none, which leaves
     * the JVM's default {@link java.net.ProxySelector} in charge. Its SSL type must suit the API
     * base, checked in {@link #build()}.
     */
    public Builder proxy(ProxySettings proxy) {
      this.proxy = proxy;
      return this;
    }

    /** The rate limits shared by every call through the connection. Default {@link Throttle#stripeDefaults()}. */
    public Builder throttle(Throttle throttle) {
      this.throttle = Objects.requireNonNull(throttle, "throttle == null");
      return this;
    }

    /**
     * How much to log through SLF4J, under {@code dev.sluice.stripe.http}: 1 requests that failed
     * for good (ERROR; the default), 2 also each retry (WARN), 3 also one line per request with
     * method, path, status, milliseconds and request id (INFO), 4 also all headers ({@code
     * dev.sluice.stripe.http.wire}), 5 also bodies, and routes and TLS details ({@code
     * dev.sluice.stripe.http.tls}: protocol, cipher suite, peer certificates). At every level the
     * API key, the proxy password, authorization headers and card numbers are masked.
     *
     * @throws IllegalArgumentException unless 1 to 5
     */
    public Builder verbosity(int verbosity) {
      if (verbosity < 1 || verbosity > 5) {
        throw new IllegalArgumentException("verbosity must be 1 to 5, was " + verbosity);
      }
      this.verbosity = verbosity;
      return this;
    }

    /**
     * Trust the server certificates this trust manager accepts instead of the JVM's default: for
     * a TLS-inspecting corporate proxy, or a test server with its own certificate authority.
     * {@code null} goes back to the default.
     */
    public Builder trustManager(X509TrustManager trustManager) {
      this.trustManager = trustManager;
      return this;
    }

    /** For tests of the throttle: the clock it waits on. */
    Builder ticker(RateLimiter.Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker == null");
      return this;
    }

    /**
     * Returns the connection.
     *
     * @throws IllegalStateException listing every problem: no API key; a proxy with SSL type
     *     {@code ALWAYS} and an http API base; a proxy with SSL type {@code NEVER} and an https API
     *     base; {@code initialBackoff} over {@code maxBackoff}
     */
    public StripeConnection build() {
      List<String> problems = new ArrayList<>();
      if (apiKey == null) {
        problems.add("apiKey is not set: call apiKey(...) with a secret key (sk_…) or restricted key (rk_…)");
      }
      boolean https = apiBase.startsWith("https:");
      if (proxy != null && proxy.sslType() == ProxySettings.SslType.ALWAYS && !https) {
        problems.add("the proxy's sslType is ALWAYS but apiBase " + apiBase + " is plain http");
      }
      if (proxy != null && proxy.sslType() == ProxySettings.SslType.NEVER && https) {
        problems.add("the proxy's sslType is NEVER but apiBase " + apiBase + " is https");
      }
      if (initialBackoff.compareTo(maxBackoff) > 0) {
        problems.add("initialBackoff " + initialBackoff + " is longer than maxBackoff " + maxBackoff);
      }
      if (!problems.isEmpty()) {
        throw new IllegalStateException(String.join("; ", problems));
      }
      return new StripeConnection(this);
    }

    private static Duration notNegative(Duration d, String what) {
      Objects.requireNonNull(d, what + " == null");
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " is negative: " + d);
      }
      return d;
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
