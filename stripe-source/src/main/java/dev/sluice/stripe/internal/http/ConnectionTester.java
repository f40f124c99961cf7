package dev.sluice.stripe.internal.http;

import dev.sluice.stripe.StripeException;
import dev.sluice.stripe.StripePermissionException;
import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.stripe.http.ConnectionCheck;
import dev.sluice.stripe.internal.StripeTransport;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs {@code StripeConnection.test()}: a balance read, then for restricted keys one list per resource. */
public final class ConnectionTester {
  private ConnectionTester() {}

  /** Tests the key through {@code transport}. */
  public static ConnectionCheck test(StripeTransport transport, boolean livemode, boolean restricted) {
    Set<String> readable = new LinkedHashSet<>();
    Set<String> forbidden = new LinkedHashSet<>();
    Map<String, String> failed = new LinkedHashMap<>();
    String requestId;
    String version = null;
    try {
      StripeTransport.Result<Object> balance = transport.probe("/v1/balance", List.of(), body -> null);
      requestId = balance.requestId();
      version = balance.stripeVersion();
    } catch (StripePermissionException e) {
      if (!restricted) {
        return new ConnectionCheck(false, livemode, false, e.getMessage(), e.requestId(), readable, forbidden, failed);
      }
      requestId = e.requestId(); // a restricted key without balance read: it still authenticates
    } catch (StripeException e) {
      return new ConnectionCheck(false, livemode, restricted, e.getMessage(), e.requestId(), readable, forbidden, failed);
    }
    for (StripeResource resource : StripeCatalog.all()) {
      if (!restricted) {
        readable.add(resource.name());
        continue;
      }
      try {
        transport.probe(resource.path(), List.of(new SimpleImmutableEntry<>("limit", "1")), body -> null);
        readable.add(resource.name());
      } catch (StripePermissionException e) {
        forbidden.add(resource.name());
      } catch (StripeException e) {
        failed.put(resource.name(), e.getMessage());
      }
    }
    return new ConnectionCheck(true, livemode, restricted, null, requestId, readable, forbidden,
        failed, version);
  }
}
