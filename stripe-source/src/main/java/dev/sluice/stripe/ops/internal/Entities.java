package dev.sluice.stripe.ops.internal;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeFixtures;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Stripe allows for each entity: its connector name, which operations exist, which fields
 * can be written, which list parameters narrow a list and which fields Search knows.
 */
public final class Entities {
  private Entities() {}

  /** Resources Stripe creates through its API (charges are created through payment intents). */
  private static final Set<String> CREATABLE = Set.of("customers", "payment_intents",
      "payment_methods", "products", "prices", "subscriptions", "invoices", "invoiceitems",
      "refunds", "quotes", "coupons", "setup_intents", "plans", "promotion_codes", "tax_rates",
      "credit_notes", "checkout/sessions", "payouts", "transfers", "topups", "payment_links",
      "shipping_rates", "subscription_schedules");

  /** Resources Stripe updates through its API: those it creates, and charges and disputes. */
  private static final Set<String> UPDATABLE = union(CREATABLE, Set.of("charges", "disputes"));

  /** Parameters Stripe takes on create (or update) that are not fields of the object. */
  private static final Map<String, Set<String>> EXTRA_PARAMS = Map.ofEntries(
      Map.entry("customers", Set.of("payment_method", "source", "coupon", "promotion_code",
          "tax", "tax_id_data", "cash_balance", "test_clock")),
      Map.entry("payment_intents", Set.of("payment_method", "confirm", "return_url",
          "off_session", "error_on_requires_action", "mandate", "mandate_data",
          "automatic_payment_methods", "payment_method_types", "payment_method_data")),
      Map.entry("payment_methods", Set.of("card", "customer", "payment_method")),
      Map.entry("products", Set.of("default_price_data")),
      Map.entry("prices", Set.of("product_data", "transfer_lookup_key", "currency_options")),
      Map.entry("subscriptions", Set.of("coupon", "promotion_code", "trial_period_days",
          "payment_behavior", "proration_behavior", "add_invoice_items", "trial_end",
          "backdate_start_date", "off_session")),
      Map.entry("invoices", Set.of("pending_invoice_items_behavior", "from_invoice")),
      Map.entry("invoiceitems", Set.of("price", "price_data", "unit_amount_decimal")),
      Map.entry("refunds", Set.of("refund_application_fee", "reverse_transfer",
          "instructions_email", "origin")),
      Map.entry("quotes", Set.of("line_items", "from_quote", "subscription_data")),
      Map.entry("coupons", Set.of("applies_to")),
      Map.entry("setup_intents", Set.of("confirm", "return_url", "payment_method_data",
          "mandate_data", "automatic_payment_methods", "attach_to_self", "flow_directions")));

  /** List parameters that keep exactly the objects whose same-named field equals the value. */
  private static final Map<String, Set<String>> LIST_EQUALS = Map.ofEntries(
      Map.entry("customers", Set.of("email")),
      Map.entry("charges", Set.of("customer", "payment_intent", "transfer_group")),
      Map.entry("subscriptions", Set.of("customer", "status", "collection_method")),
      Map.entry("refunds", Set.of("charge", "payment_intent")),
      Map.entry("balance_transactions", Set.of("payout", "source", "type", "currency")),
      Map.entry("prices", Set.of("active", "currency", "product", "type")),
      Map.entry("invoices", Set.of("customer", "status", "subscription", "collection_method")),
      Map.entry("payment_intents", Set.of("customer")),
      Map.entry("payment_methods", Set.of("customer", "type")),
      Map.entry("products", Set.of("active", "shippable", "url")),
      Map.entry("disputes", Set.of("charge", "payment_intent")),
      Map.entry("payouts", Set.of("status", "destination")),
      Map.entry("quotes", Set.of("customer", "status")),
      Map.entry("setup_intents", Set.of("customer", "payment_method")),
      Map.entry("invoiceitems", Set.of("customer", "invoice")),
      Map.entry("plans", Set.of("active", "product")),
      Map.entry("credit_notes", Set.of("customer", "invoice")),
      Map.entry("promotion_codes", Set.of("active", "code", "coupon", "customer")),
      Map.entry("tax_rates", Set.of("active", "inclusive")),
      Map.entry("checkout/sessions", Set.of("customer", "payment_intent", "subscription",
          "status", "payment_link")),
      Map.entry("transfers", Set.of("destination", "transfer_group")),
      Map.entry("application_fees", Set.of("charge")),
      Map.entry("topups", Set.of("status")),
      Map.entry("payment_links", Set.of("active")),
      Map.entry("shipping_rates", Set.of("active", "currency")),
      Map.entry("subscription_schedules", Set.of("customer")),
      Map.entry("files", Set.of("purpose")));

  /** Which resources' objects a write to a resource may change (for the read-your-writes rule). */
  private static final Map<String, Set<String>> TOUCHES = Map.ofEntries(
      Map.entry("products", Set.of("products", "prices")),
      Map.entry("prices", Set.of("prices", "products")),
      Map.entry("payment_intents", Set.of("payment_intents", "charges", "customers")),
      Map.entry("refunds", Set.of("refunds", "charges", "payment_intents")),
      Map.entry("subscriptions", Set.of("subscriptions", "invoices", "payment_intents",
          "charges", "customers")),
      Map.entry("invoices", Set.of("invoices", "payment_intents", "charges", "subscriptions",
          "customers")),
      Map.entry("quotes", Set.of("quotes", "invoices", "subscriptions")),
      Map.entry("invoiceitems", Set.of("invoiceitems", "invoices")),
      Map.entry("payment_methods", Set.of("payment_methods", "customers")),
      Map.entry("setup_intents", Set.of("setup_intents", "payment_methods")),
      Map.entry("charges", Set.of("charges", "payment_intents")),
      Map.entry("customers", Set.of("customers", "subscriptions")));

  /** Fields Stripe sets itself on every object. */
  private static final Set<String> SYSTEM_FIELDS = Set.of("id", "object", "created", "livemode");

  /** Resources whose {@code id} may be chosen on create. */
  private static final Set<String> CHOSEN_ID = Set.of("products", "coupons", "plans");

  /** Each resource by its normalised object type and name; the catalog's first wins a clash. */
  private static final Map<String, StripeResource> BY_NAME = byName();

  private static Map<String, StripeResource> byName() {
    Map<String, StripeResource> out = new HashMap<>();
    for (StripeResource r : StripeCatalog.all()) {
      out.putIfAbsent(normal(r.objectType()), r);
      out.putIfAbsent(normal(r.name()), r);
    }
    return Map.copyOf(out);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.addAll(b);
    return Set.copyOf(out);
  }

  /** The catalog resource an entity name means: {@code Customer}, {@code customers}, {@code payment_intent}. */
  public static StripeResource resolve(String entity) {
    if (entity == null) {
      throw new NullPointerException("entity == null");
    }
    StripeResource r = BY_NAME.get(normal(entity));
    if (r == null) {
      throw new IllegalArgumentException("Unknown entity '" + entity + "'; known entities: "
          + String.join(", ", names()));
    }
    return r;
  }

  private static String normal(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[_./\\s-]", "");
  }

  /** Every entity's connector name. */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    for (StripeResource r : StripeCatalog.all()) {
      out.add(connectorName(r));
    }
    return out;
  }

  /** The connector's name for a resource: {@code payment_intent} becomes {@code PaymentIntent}. */
  public static String connectorName(StripeResource r) {
    StringBuilder sb = new StringBuilder();
    for (String part : r.objectType().split("[._]")) {
      if (part.equals("invoiceitem")) {
        sb.append("InvoiceItem");
      } else {
        sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return sb.toString();
  }

  /** Whether Stripe creates the resource's objects through its API. */
  public static boolean creatable(StripeResource r) {
    return CREATABLE.contains(r.name());
  }

  /** Whether Stripe updates the resource's objects through its API. */
  public static boolean updatable(StripeResource r) {
    return UPDATABLE.contains(r.name());
  }

  /** The fields and parameters a create or update of the resource may send. */
  public static Set<String> writable(StripeResource r) {
    Set<String> out = new TreeSet<>(fixture(r).keys());
    out.removeAll(SYSTEM_FIELDS);
    out.addAll(EXTRA_PARAMS.getOrDefault(r.name(), Set.of()));
    out.add("metadata");
    out.add("expand");
    if (CHOSEN_ID.contains(r.name())) {
      out.add("id");
    }
    return out;
  }

  /** The resource's example object, for field types. */
  public static DataRecord fixture(StripeResource r) {
    return StripeFixtures.get(r.objectType());
  }

  /** The list parameters that keep objects whose same-named field equals the value. */
  public static Set<String> listEquals(StripeResource r) {
    return LIST_EQUALS.getOrDefault(r.name(), Set.of());
  }

  /** The fields Search can query on the resource; empty if it has no search. */
  public static Set<String> searchFields(StripeResource r) {
    return StripeCatalog.searchFields(r);
  }

  /** The resources whose objects a write to {@code r} may change, {@code r} included. */
  public static Set<String> touchedBy(StripeResource r) {
    Set<String> out = new HashSet<>(TOUCHES.getOrDefault(r.name(), Set.of()));
    out.add(r.name());
    return out;
  }
}
