package dev.sluice.testkit.internal;

import dev.sluice.xdm.DataRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The resource-specific parameters each list endpoint takes, and how they filter. A parameter not
 * listed here (nor common to all lists) is answered with {@code parameter_unknown}, as Stripe does.
 */
public final class ListFilters {
  private ListFilters() {}

  private static final Map<String, Set<String>> EXTRA = Map.ofEntries(
      Map.entry("charges", Set.of("customer", "payment_intent", "transfer_group")),
      Map.entry("subscriptions", Set.of("customer", "price", "status", "collection_method",
          "test_clock", "plan", "current_period_end", "current_period_start", "automatic_tax")),
      Map.entry("refunds", Set.of("charge", "payment_intent")),
      Map.entry("balance_transactions", Set.of("payout", "source", "type", "currency")),
      Map.entry("customers", Set.of("email", "test_clock")),
      Map.entry("prices", Set.of("active", "currency", "product", "type", "lookup_keys",
          "recurring")),
      Map.entry("invoices", Set.of("customer", "status", "subscription", "collection_method",
          "due_date")),
      Map.entry("payment_intents", Set.of("customer")),
      Map.entry("payment_methods", Set.of("customer", "type")),
      Map.entry("products", Set.of("active", "ids", "shippable", "url")),
      Map.entry("disputes", Set.of("charge", "payment_intent")),
      Map.entry("payouts", Set.of("status", "destination", "arrival_date")),
      Map.entry("quotes", Set.of("customer", "status", "test_clock")),
      Map.entry("setup_intents", Set.of("customer", "payment_method", "attach_to_self")),
      Map.entry("coupons", Set.of()),
      Map.entry("invoiceitems", Set.of("customer", "invoice", "pending")),
      Map.entry("plans", Set.of("active", "product")),
      Map.entry("credit_notes", Set.of("customer", "invoice")),
      Map.entry("promotion_codes", Set.of("active", "code", "coupon", "customer")),
      Map.entry("tax_rates", Set.of("active", "inclusive")),
      Map.entry("checkout/sessions", Set.of("customer", "payment_intent", "subscription",
          "status", "payment_link")),
      Map.entry("transfers", Set.of("destination", "transfer_group")),
      Map.entry("application_fees", Set.of("charge")),
      Map.entry("events", Set.of("type", "types", "delivery_success")),
      Map.entry("files", Set.of("purpose")),
      Map.entry("topups", Set.of("amount", "status")),
      Map.entry("payment_links", Set.of("active")),
      Map.entry("shipping_rates", Set.of("active", "currency")),
      Map.entry("subscription_schedules", Set.of("customer", "scheduled", "canceled_at",
          "completed_at", "released_at")),
      Map.entry("reviews", Set.of()),
      Map.entry("accounts", Set.of()));

  /** The extra parameters of a resource's list. */
  public static Set<String> allowed(String resource) {
    return EXTRA.getOrDefault(resource, Set.of());
  }

  /** Adds the filters the extra parameters ask for to a query. */
  public static void apply(String resource, Map<String, Object> params, Lists.Query q) {
    for (String name : allowed(resource)) {
      if (!params.containsKey(name)) {
        continue;
      }
      Object value = params.get(name);
      if (resource.equals("subscriptions") && name.equals("status")) {
        continue; // handled by subscriptionStatus
      }
      if (resource.equals("events")) {
        continue; // handled by the events endpoint
      }
      if (resource.equals("subscriptions") && (name.equals("price") || name.equals("plan"))) {
        String price = (String) value;
        q.and(r -> itemsHavePrice(r, price));
        continue;
      }
      if (value instanceof List) {
        List<?> wanted = (List<?>) value;
        String field = name.equals("ids") ? "id" : name.equals("lookup_keys") ? "lookup_key" : name;
        q.and(r -> wanted.contains(Objects.toString(r.get(field), null)));
        continue;
      }
      if (value instanceof Map) {
        Map<?, ?> wanted = (Map<?, ?>) value;
        q.and(r -> {
          Object sub = r.get(name);
          if (!(sub instanceof DataRecord)) {
            return false;
          }
          for (Map.Entry<?, ?> e : wanted.entrySet()) {
            if (!Objects.equals(Objects.toString(((DataRecord) sub).get((String) e.getKey()), null),
                e.getValue())) {
              return false;
            }
          }
          return true;
        });
        continue;
      }
      String wanted = (String) value;
      q.and(r -> r.has(name) && Objects.equals(Objects.toString(r.get(name), null), wanted));
    }
    if (resource.equals("subscriptions")) {
      subscriptionStatus(params.get("status"), q);
    }
  }

  private static boolean itemsHavePrice(DataRecord sub, String price) {
    Object data = sub.getPath("items.data");
    if (!(data instanceof List)) {
      return false;
    }
    for (Object item : (List<?>) data) {
      if (item instanceof DataRecord && price.equals(((DataRecord) item).getPath("price.id"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Stripe leaves canceled (and incomplete_expired) subscriptions out of the list unless asked
   * with {@code status=all}, {@code status=canceled} or {@code status=ended}.
   */
  private static void subscriptionStatus(Object status, Lists.Query q) {
    if (status == null) {
      q.and(r -> !"canceled".equals(r.get("status")) && !"incomplete_expired".equals(r.get("status")));
      return;
    }
    String s = String.valueOf(status);
    switch (s) {
      case "all" -> { }
      case "ended" -> q.and(r -> "canceled".equals(r.get("status"))
          || "incomplete_expired".equals(r.get("status")));
      case "active", "past_due", "unpaid", "canceled", "incomplete", "incomplete_expired",
          "trialing", "paused" -> q.and(r -> s.equals(r.get("status")));
      default -> throw ApiError.invalid("parameter_invalid_string",
          "Invalid status: must be one of active, past_due, unpaid, canceled, incomplete,"
              + " incomplete_expired, trialing, all, ended, or paused", "status");
    }
  }
}
