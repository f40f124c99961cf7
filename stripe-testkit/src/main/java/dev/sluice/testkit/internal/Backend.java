package dev.sluice.testkit.internal;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything the emulator knows: its settings and, per account (the platform account and each
 * connected account named in a {@code Stripe-Account} header), that account's data.
 */
public final class Backend {
  /** The name of the platform account's data (requests without {@code Stripe-Account}). */
  public static final String PLATFORM = "platform";

  private final long seed;
  private final long objectsPerResource;
  private final Clock clock;
  private final long historyEnd;
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();
  private volatile String apiVersion = HttpFront.API_VERSION;

  /** A backend generating data from a seed, dated by a clock. */
  public Backend(long seed, long objectsPerResource, Clock clock) {
    this.seed = seed;
    this.objectsPerResource = objectsPerResource;
    this.clock = clock;
    this.historyEnd = clock.instant().truncatedTo(ChronoUnit.DAYS).getEpochSecond();
  }

  /** The seed of all generated data. */
  public long seed() {
    return seed;
  }

  /**
   * The account's default API version: what answers to requests without {@code Stripe-Version}
   * are rendered in and say in their {@code Stripe-Version} header, and what events of such
   * requests are dated with.
   */
  public String apiVersion() {
    return apiVersion;
  }

  /** Changes the account's default API version. */
  public void apiVersion(String version) {
    this.apiVersion = java.util.Objects.requireNonNull(version, "version == null");
  }

  /** The clock that dates writes and events. */
  public Clock clock() {
    return clock;
  }

  /** Now, in Unix seconds, by the emulator's clock. */
  public long now() {
    return clock.instant().getEpochSecond();
  }

  /** The end of the generated history: the start of the clock's day when the emulator began. */
  public long historyEnd() {
    return historyEnd;
  }

  /** The platform account, or a connected account's data, made on first use. */
  public Account account(String connectedAccount) {
    String key = connectedAccount == null ? PLATFORM : connectedAccount;
    return accounts.computeIfAbsent(key,
        k -> {
          Account account = new Account(k, new Dataset(seed, k, objectsPerResource, historyEnd));
          account.stores().values().forEach(store -> store.clock(this::now));
          return account;
        });
  }
}
