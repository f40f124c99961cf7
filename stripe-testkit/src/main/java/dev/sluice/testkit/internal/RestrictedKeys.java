package dev.sluice.testkit.internal;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Restricted keys ({@code rk_test_…}) with per-resource permissions, as the Dashboard grants them:
 * a key reads (GET) the resources it may read or write and writes (POST, DELETE) those it may
 * write; anything else is answered with Stripe's 403 permission error. A restricted key the
 * emulator was not told about may do everything, as before. Thread-safe.
 */
public final class RestrictedKeys {
  private final Map<String, Grant> grants = new ConcurrentHashMap<>();

  /** What one key may do: the resource names it may read, and those it may also write. */
  private record Grant(Set<String> read, Set<String> write) {}

  /** A copy holding the same grants, for an emulator built from a reused builder. */
  public RestrictedKeys copy() {
    RestrictedKeys copy = new RestrictedKeys();
    copy.grants.putAll(grants);
    return copy;
  }

  /** Registers (or replaces) a key's permissions, by catalog resource name. */
  public void grant(String key, Set<String> read, Set<String> write) {
    grants.put(key, new Grant(Set.copyOf(read), Set.copyOf(write)));
  }

  /**
   * The 403 a request with {@code key} gets, or null if the key may make it.
   *
   * @param path the request path, such as {@code /v1/charges/ch_1/refunds}
   * @param account the {@code Stripe-Account} the request is for, or null for the platform
   */
  public ApiError check(String key, String method, String path, String account) {
    Grant grant = grants.get(key);
    if (grant == null) {
      return null;
    }
    StripeResource resource = resourceOf(path);
    if (resource == null) {
      return null;
    }
    boolean write = !method.equals("GET") && !method.equals("HEAD");
    String name = resource.name();
    boolean allowed = write ? grant.write().contains(name)
        : grant.read().contains(name) || grant.write().contains(name);
    if (allowed) {
      return null;
    }
    String permission = "rak_" + resource.objectType().replace('.', '_')
        + (write ? "_write" : "_read");
    return new ApiError(403, "invalid_request_error", null, "The provided key '" + Keys.mask(key)
        + "' does not have the required permissions for this endpoint on account '"
        + (account != null ? account : "acct_emulator") + "'. Having the '" + permission
        + "' permission would allow this request to continue.", null);
  }

  /** The catalog resource a path is under (the longest name that prefixes it), or null. */
  static StripeResource resourceOf(String path) {
    if (!path.startsWith("/v1/")) {
      return null;
    }
    String rest = path.substring(4);
    StripeResource best = null;
    for (StripeResource r : StripeCatalog.all()) {
      String name = r.name();
      if ((rest.equals(name) || rest.startsWith(name + "/"))
          && (best == null || name.length() > best.name().length())) {
        best = r;
      }
    }
    return best;
  }
}
