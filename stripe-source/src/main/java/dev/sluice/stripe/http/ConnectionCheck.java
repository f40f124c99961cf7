package dev.sluice.stripe.http;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code StripeConnection.test()} found: whether Stripe accepts the key, its mode, and which
 * catalog resources it may read.
 *
 * <p>A secret key reads everything, so {@link #readable()} lists the whole catalog without asking.
 * For a restricted key each resource is asked for one object ({@code limit=1}, through the
 * throttle): those answering 200 are {@link #readable()}, those answering 403 {@link
 * #forbidden()}, and any other answer is kept in {@link #failed()} with its reason. Holds no
 * secret; {@link #toString()} is safe to log.
 *
 * @param keyWorks whether Stripe accepted the key
 * @param livemode whether the key is a live-mode key (else a test-mode key)
 * @param restrictedKey whether the key is a restricted key ({@code rk_…})
 * @param problem why the check failed (the key refused, Stripe unreachable), or {@code null}
 * @param requestId Stripe's request id of the key check, or {@code null}
 * @param readable the catalog resources the key may list
 * @param forbidden the catalog resources Stripe refused to list with 403
 * @param failed the catalog resources that answered otherwise, each with the reason
 * @param apiVersion the API version Stripe answered the key check in (the {@code Stripe-Version}
 *     answer header: the connection's pinned version, else the account's default), or {@code null}
 */
public record ConnectionCheck(
    boolean keyWorks,
    boolean livemode,
    boolean restrictedKey,
    String problem,
    String requestId,
    Set<String> readable,
    Set<String> forbidden,
    Map<String, String> failed,
    String apiVersion) {

  /** Checks the fields and copies the collections into sorted, unmodifiable ones. */
  public ConnectionCheck {
    Objects.requireNonNull(readable, "readable == null");
    Objects.requireNonNull(forbidden, "forbidden == null");
    Objects.requireNonNull(failed, "failed == null");
    if (!keyWorks && problem == null) {
      throw new IllegalArgumentException("a failed check needs a problem");
    }
    readable = java.util.Collections.unmodifiableSet(new TreeSet<>(readable));
    forbidden = java.util.Collections.unmodifiableSet(new TreeSet<>(forbidden));
    failed = java.util.Collections.unmodifiableMap(new TreeMap<>(failed));
  }

  /** A check without the API version answered. */
  public ConnectionCheck(boolean keyWorks, boolean livemode, boolean restrictedKey, String problem,
      String requestId, Set<String> readable, Set<String> forbidden, Map<String, String> failed) {
    this(keyWorks, livemode, restrictedKey, problem, requestId, readable, forbidden, failed, null);
  }

  /** {@code "live"} or {@code "test"}. */
  public String mode() {
    return livemode ? "live" : "test";
  }

  /** Whether the key works and may list this resource ({@code "charges"}). */
  public boolean canRead(String resource) {
    return keyWorks && readable.contains(resource);
  }
}
