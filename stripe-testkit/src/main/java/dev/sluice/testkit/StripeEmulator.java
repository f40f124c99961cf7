package dev.sluice.testkit;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.sluice.testkit.internal.Api;
import dev.sluice.testkit.internal.Backend;
import dev.sluice.testkit.internal.FaultState;
import dev.sluice.testkit.internal.HttpFront;
import dev.sluice.testkit.internal.RestrictedKeys;
import dev.sluice.testkit.internal.SelfSignedTls;
import dev.sluice.testkit.internal.Writes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A Stripe API emulator: a real HTTP server on {@code 127.0.0.1} that speaks Stripe's wire format
 * (JSON bodies, form-encoded parameters, the error envelope, a {@code Request-Id} on every answer)
 * and serves generated data for every resource of the Stripe catalog.
 *
 * <pre>{@code
 * try (StripeEmulator stripe = StripeEmulator.builder().seed(7).objectsPerResource(1000).start()) {
 *   // point your client at stripe.baseUrl() with any key starting sk_test_ or rk_test_
 *   HttpRequest req = HttpRequest.newBuilder(URI.create(stripe.baseUrl() + "/v1/charges?limit=100"))
 *       .header("Authorization", "Bearer sk_test_123")
 *       .build();
 * }
 * }</pre>
 *
 * <p><b>Data.</b> Each resource holds {@link Builder#objectsPerResource} generated objects. An
 * object is a pure function of the seed, the resource and its index, made when asked for, so a
 * million objects cost no memory. Objects have the keys (in order) and JSON types of Stripe's own
 * example objects; their values vary: ids with the resource's prefix, amounts (zero, large),
 * currencies (zero- and three-decimal ones too), {@code created} times spread over the three years
 * before the start of the clock's current day, with many objects sharing a second. Two emulators
 * with the same seed and clocks on the same day serve the same data; pass a fixed {@link
 * Builder#clock} for data that never changes. Lists are newest first ({@code created} descending,
 * then a stable order within a second) and page with {@code limit}, {@code starting_after} and
 * {@code ending_before}.
 *
 * <p><b>Keys.</b> Every request needs {@code Authorization: Bearer sk_test_…} (or {@code rk_test_…});
 * anything else is answered 401, the key masked in the message.
 *
 * <p><b>Writes.</b> {@code POST} creates and updates, {@code DELETE} deletes, as an overlay over the
 * generated data, and each write leaves the event Stripe would list at {@code /v1/events}. A
 * {@code POST} with an {@code Idempotency-Key} is answered once and replayed after. A {@code
 * Stripe-Account: acct_…} header selects a connected account with data of its own. A refund takes
 * its amount from its charge ({@code amount_refunded}, {@code refunded}) and emits {@code
 * charge.refunded} and {@code refund.created} as Stripe does; {@link #openDispute} stands in for a
 * cardholder's bank. Every answer carries {@code Stripe-Version}: the one the request pinned, else
 * the account's default ({@link #defaultApiVersion(String)}).
 *
 * <p><b>Testing failure.</b> {@link #faults()} injects latency, rate limits, 5xx answers, dropped
 * connections, truncated bodies, lagging search and late, out-of-order events; {@link #requests()}
 * shows what a client sent.
 *
 * <p><b>Threads.</b> Requests are served concurrently, each on its own thread. Instances are
 * thread-safe. Close the emulator to free its port and threads.
 */
public final class StripeEmulator implements AutoCloseable {
  static {
    // The JDK's HTTP server writes headers and body in separate packets; with Nagle's algorithm
    // on, each answer then waits ~40 ms for a delayed ACK. The server reads this property once.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final long seed;
  private final int objectsPerResource;
  private final int port;
  private final Clock clock;
  private final boolean https;
  private final RestrictedKeys restrictedKeys;
  private SelfSignedTls tls;
  private final Object lifecycle = new Object();
  private final FaultState faultState = new FaultState();
  private final Faults faults = new Faults(faultState);
  private final ConcurrentLinkedQueue<RecordedRequest> log = new ConcurrentLinkedQueue<>();
  private HttpServer server;
  private ExecutorService executor;
  private String baseUrl;
  private volatile String defaultApiVersion;
  private volatile Backend backend;

  private StripeEmulator(Builder b) {
    this.seed = b.seed;
    this.objectsPerResource = b.objectsPerResource;
    this.port = b.port;
    this.clock = b.clock;
    this.https = b.https;
    this.restrictedKeys = b.restrictedKeys.copy();
    this.defaultApiVersion = b.defaultApiVersion;
  }

  /** Returns a builder with the defaults: seed 0, 250 objects per resource, any free port. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port on {@code 127.0.0.1} and starts serving.
   *
   * @return this emulator, for chaining
   * @throws IllegalStateException if it was started before
   * @throws UncheckedIOException if the port cannot be bound
   */
  public StripeEmulator start() {
    synchronized (lifecycle) {
      if (server != null) {
        throw new IllegalStateException("The Stripe emulator was already started");
      }
      Backend backend = new Backend(seed, objectsPerResource, clock);
      backend.apiVersion(defaultApiVersion);
      this.backend = backend;
      HttpServer s;
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      try {
        if (https) {
          tls = SelfSignedTls.create();
          HttpsServer secure = HttpsServer.create(address, 512);
          secure.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
          s = secure;
        } else {
          s = HttpServer.create(address, 512);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Could not listen on 127.0.0.1:" + port, e);
      }
      executor = Executors.newCachedThreadPool(new DaemonThreads());
      s.setExecutor(executor);
      HttpFront front = new HttpFront(new Api(backend), faultState,
          (method, path, query, headers, body, requestId, status) -> record(
              new RecordedRequest(method, path, query, headers, body, requestId, status)));
      front.restrictedKeys(restrictedKeys);
      s.createContext("/", front);
      s.start();
      server = s;
      baseUrl = (https ? "https" : "http") + "://127.0.0.1:" + s.getAddress().getPort();
      return this;
    }
  }

  /**
   * The base URL API paths go under, without a trailing slash: {@code http://127.0.0.1:41234};
   * charges are listed at {@code baseUrl() + "/v1/charges"}.
   *
   * @throws IllegalStateException if the emulator is not started
   */
  public String baseUrl() {
    synchronized (lifecycle) {
      if (baseUrl == null) {
        throw new IllegalStateException("The Stripe emulator is not started; call start() first");
      }
      return baseUrl;
    }
  }

  /**
   * The port it listens on.
   *
   * @throws IllegalStateException if the emulator is not started
   */
  public int port() {
    synchronized (lifecycle) {
      if (server == null) {
        throw new IllegalStateException("The Stripe emulator is not started; call start() first");
      }
      return server.getAddress().getPort();
    }
  }

  /**
   * The self-signed certificate an HTTPS emulator serves (for {@code localhost} and {@code
   * 127.0.0.1}), made when it started.
   *
   * @throws IllegalStateException if the emulator is not started or not in HTTPS mode
   */
  public X509Certificate certificate() {
    return tls().certificate();
  }

  /**
   * A trust manager that trusts exactly this emulator's certificate, for clients such as OkHttp
   * ({@code sslSocketFactory(emulator.sslSocketFactory(), emulator.trustManager())}).
   *
   * @throws IllegalStateException if the emulator is not started or not in HTTPS mode
   */
  public X509TrustManager trustManager() {
    return tls().trustManager();
  }

  /**
   * A client socket factory that trusts exactly this emulator's certificate.
   *
   * @throws IllegalStateException if the emulator is not started or not in HTTPS mode
   */
  public SSLSocketFactory sslSocketFactory() {
    return tls().clientContext().getSocketFactory();
  }

  private SelfSignedTls tls() {
    synchronized (lifecycle) {
      if (!https) {
        throw new IllegalStateException("The Stripe emulator was not built with https(true)");
      }
      if (tls == null) {
        throw new IllegalStateException("The Stripe emulator is not started; call start() first");
      }
      return tls;
    }
  }

  /**
   * The faults to inject: latency, rate limits, 5xx answers, dropped connections, truncated
   * bodies. Usable before and after {@link #start()}.
   */
  public Faults faults() {
    return faults;
  }

  /**
   * The account's default API version: the {@code Stripe-Version} every answer to a request that
   * names none carries (an answer to a request that names one carries that one), and the {@code
   * api_version} of events such requests cause.
   */
  public String defaultApiVersion() {
    return defaultApiVersion;
  }

  /**
   * Changes the account's default API version, as upgrading it in Stripe's Dashboard does; takes
   * effect for the requests that arrive after it.
   *
   * @return this emulator, for chaining
   */
  public StripeEmulator defaultApiVersion(String version) {
    Objects.requireNonNull(version, "version == null");
    synchronized (lifecycle) {
      defaultApiVersion = version;
      if (backend != null) {
        backend.apiVersion(version);
      }
    }
    return this;
  }

  /**
   * Opens a dispute on a charge of the platform account, as a cardholder's bank would (Stripe has
   * no API for it): a new dispute with status {@code needs_response} for the unrefunded amount,
   * the charge marked {@code disputed: true}, and a {@code charge.dispute.created} event dated by
   * the emulator's clock. The dispute is then listed at {@code /v1/disputes}.
   *
   * @return the new dispute's id
   * @throws IllegalArgumentException if there is no such charge or it is already disputed
   * @throws IllegalStateException if the emulator is not started
   */
  public String openDispute(String chargeId) {
    Objects.requireNonNull(chargeId, "chargeId == null");
    Backend b = backend;
    if (b == null) {
      throw new IllegalStateException("The Stripe emulator is not started; call start() first");
    }
    return new Writes(b).dispute(b.account(null), chargeId).getString("id");
  }

  /**
   * Every request received so far (the latest 10,000), oldest first, including refused and
   * faulted ones. API keys in the {@code Authorization} header are masked.
   */
  public List<RecordedRequest> requests() {
    return List.copyOf(new ArrayList<>(log));
  }

  /** The request log keeps this many of the latest requests, so long benchmarks stay small. */
  static final int REQUEST_LOG_LIMIT = 10_000;

  private final AtomicInteger logSize = new AtomicInteger();

  private void record(RecordedRequest r) {
    log.add(r);
    if (logSize.incrementAndGet() > REQUEST_LOG_LIMIT && log.poll() != null) {
      logSize.decrementAndGet();
    }
  }

  /** Forgets the requests received so far. */
  public void clearRequests() {
    while (log.poll() != null) {
      logSize.decrementAndGet();
    }
  }

  /** Stops serving and frees the port; open connections are dropped. Safe to call twice. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (server == null) {
        return;
      }
      server.stop(0);
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
  }

  @Override
  public String toString() {
    synchronized (lifecycle) {
      return "StripeEmulator{seed=" + seed + ", objectsPerResource=" + objectsPerResource
          + (baseUrl != null ? ", baseUrl=" + baseUrl : "") + "}";
    }
  }

  /** Configures a {@link StripeEmulator}. Not thread-safe. */
  public static final class Builder {
    private long seed;
    private int objectsPerResource = 250;
    private int port;
    private Clock clock = Clock.systemUTC();
    private boolean https;
    private final RestrictedKeys restrictedKeys = new RestrictedKeys();
    private String defaultApiVersion = HttpFront.API_VERSION;

    private Builder() {}

    /**
     * Makes {@code key} a restricted key ({@code rk_test_…}) that may read only the named catalog
     * resources ({@code "charges"}, {@code "events"}) and write none: any other resource answers
     * Stripe's 403 permission error ({@code … Having the 'rak_customer_read' permission would
     * allow this request to continue.}). Paths outside the catalog ({@code /v1/balance}) stay
     * open. Restricted keys not registered here may do everything.
     *
     * @throws IllegalArgumentException if the key is not a test-mode restricted key, or a name is
     *     not a catalog resource
     */
    public Builder restrictedKey(String key, Set<String> readable) {
      return restrictedKey(key, readable, Set.of());
    }

    /**
     * Like {@link #restrictedKey(String, Set)}, and the key may also write (create, update,
     * delete, act on) the resources in {@code writable}, which it may read too.
     *
     * @throws IllegalArgumentException if the key is not a test-mode restricted key, or a name is
     *     not a catalog resource
     */
    public Builder restrictedKey(String key, Set<String> readable, Set<String> writable) {
      Objects.requireNonNull(key, "key == null");
      if (!key.startsWith("rk_test_") || key.length() <= 8) {
        throw new IllegalArgumentException("A restricted key starts with rk_test_ and has more"
            + " after it; got one starting " + key.substring(0, Math.min(3, key.length())) + "…");
      }
      for (String name : concat(readable, writable)) {
        if (dev.sluice.stripe.catalog.StripeCatalog.find(name).isEmpty()) {
          throw new IllegalArgumentException("'" + name + "' is not a Stripe resource of the"
              + " catalog; name resources as listed, such as charges or checkout/sessions");
        }
      }
      restrictedKeys.grant(key, readable, writable);
      return this;
    }

    private static java.util.List<String> concat(Set<String> a, Set<String> b) {
      java.util.List<String> all = new java.util.ArrayList<>(a);
      all.addAll(b);
      return all;
    }

    /**
     * Serves HTTPS instead of HTTP, with a self-signed certificate made at start; clients trust
     * it through {@link StripeEmulator#trustManager()} or {@link StripeEmulator#certificate()}.
     * Default false.
     */
    public Builder https(boolean https) {
      this.https = https;
      return this;
    }

    /** The seed all generated data derives from; default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * How many generated objects each resource holds; default 250.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder objectsPerResource(int objectsPerResource) {
      if (objectsPerResource < 0) {
        throw new IllegalArgumentException("objectsPerResource < 0: " + objectsPerResource);
      }
      this.objectsPerResource = objectsPerResource;
      return this;
    }

    /**
     * The port to listen on; default 0, any free port (read it from {@link StripeEmulator#baseUrl()}).
     *
     * @throws IllegalArgumentException if not within 0..65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The clock that dates writes and events and places the generated history, which ends at the
     * start of the clock's day (UTC) when the emulator starts; default the system clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * The account's default API version, which answers to requests without {@code
     * Stripe-Version} carry in that header; default {@code 2025-09-30.clover}. Change it later
     * with {@link StripeEmulator#defaultApiVersion(String)}.
     */
    public Builder defaultApiVersion(String version) {
      this.defaultApiVersion = Objects.requireNonNull(version, "version == null");
      return this;
    }

    /** Builds the emulator, not yet started. */
    public StripeEmulator build() {
      return new StripeEmulator(this);
    }

    /** Builds the emulator and starts it; see {@link StripeEmulator#start()}. */
    public StripeEmulator start() {
      return build().start();
    }
  }

  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger n = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "stripe-emulator-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
