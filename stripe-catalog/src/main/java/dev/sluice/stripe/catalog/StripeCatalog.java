package dev.sluice.stripe.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Stripe resources Sluice can list, read incrementally and emulate, with their paths, id
 * prefixes, filters and event types.
 *
 * <pre>{@code
 * StripeResource charges = StripeCatalog.require("charges");
 * charges.path();         // "/v1/charges"
 * StripeCatalog.DOCUMENTED_RESOURCES;   // the six resources of the AEP Stripe source
 * }</pre>
 */
public final class StripeCatalog {

  /**
   * The six resource paths Adobe Experience Platform's Stripe source ingests, in the documents'
   * order: the main job's default.
   */
  public static final List<String> DOCUMENTED_RESOURCES =
      List.of("charges", "subscriptions", "refunds", "balance_transactions", "customers", "prices");

  private static final Map<String, StripeResource> RESOURCES = build();

  /** The query fields Stripe's Search API documents for each searchable resource. */
  private static final Map<String, Set<String>> SEARCH_FIELDS = Map.of(
      "charges", Set.of("amount", "billing_details.address.postal_code", "created", "currency",
          "customer", "disputed", "metadata", "payment_method_details.card.last4", "refunded",
          "status", "payment_intent"),
      "customers", Set.of("created", "email", "metadata", "name", "phone"),
      "invoices", Set.of("created", "currency", "customer", "metadata", "number",
          "receipt_number", "subscription", "total", "status"),
      "payment_intents", Set.of("amount", "created", "currency", "customer", "metadata",
          "status"),
      "prices", Set.of("active", "currency", "lookup_key", "metadata", "product", "type"),
      "products", Set.of("active", "description", "metadata", "name", "shippable", "url"),
      "subscriptions", Set.of("created", "metadata", "status"));

  private StripeCatalog() {}

  /** Every resource in the catalog, the documented six first. */
  public static List<StripeResource> all() {
    return Collections.unmodifiableList(new ArrayList<>(RESOURCES.values()));
  }

  /** The resource with this name ({@code "charges"}), if the catalog has it. */
  public static Optional<StripeResource> find(String name) {
    return Optional.ofNullable(RESOURCES.get(name));
  }

  /**
   * The resource with this name.
   *
   * @throws IllegalArgumentException naming the unknown resource and listing the known ones
   */
  public static StripeResource require(String name) {
    StripeResource resource = RESOURCES.get(name);
    if (resource == null) {
      throw new IllegalArgumentException(
          "Unknown Stripe resource '" + name + "'; known resources: " + String.join(", ", RESOURCES.keySet()));
    }
    return resource;
  }

  /**
   * The fields {@code /v1/<resource>/search} queries may name ({@code metadata} stands for every
   * {@code metadata['key']}); empty for a resource that is not searchable.
   */
  public static Set<String> searchFields(StripeResource resource) {
    return resource.searchable() ? SEARCH_FIELDS.getOrDefault(resource.name(), Set.of()) : Set.of();
  }

  /** The resource whose objects have this {@code object} type ({@code "charge"}), if any. */
  public static Optional<StripeResource> forObjectType(String objectType) {
    return RESOURCES.values().stream().filter(r -> r.objectType().equals(objectType)).findFirst();
  }

  /**
   * Events about other objects that change a resource's objects: which resource, which event
   * types, and the field of the event's object that names the changed object.
   */
  private static Map<String, List<StripeResource.LinkedEvent>> links() {
    Map<String, List<StripeResource.LinkedEvent>> m = new LinkedHashMap<>();
    // A dispute or a refund changes its charge (disputed, amount_refunded, refunded, refunds).
    m.put("charges", linked("charge", "charge.dispute.created", "charge.dispute.updated",
        "charge.dispute.closed", "charge.dispute.funds_reinstated",
        "charge.dispute.funds_withdrawn", "charge.refund.updated", "refund.created",
        "refund.updated", "refund.failed"));
    // An invoice item added to, changed on or removed from a draft invoice changes its lines and
    // totals. (Stripe has no subscription item events: subscription item changes arrive as
    // customer.subscription.updated, which subscriptions already read.)
    m.put("invoices", linked("invoice", "invoiceitem.created", "invoiceitem.updated",
        "invoiceitem.deleted"));
    // A discount applied to or removed from a customer changes customer.discount; a source
    // attached or detached can change customer.default_source.
    m.put("customers", linked("customer", "customer.discount.created",
        "customer.discount.updated", "customer.discount.deleted", "customer.source.created",
        "customer.source.updated", "customer.source.deleted"));
    // A refund of an application fee changes the fee's amount_refunded and refunds.
    m.put("application_fees", linked("fee", "application_fee.refund.updated"));
    return m;
  }

  private static List<StripeResource.LinkedEvent> linked(String idField, String... types) {
    List<StripeResource.LinkedEvent> list = new ArrayList<>();
    for (String type : types) {
      list.add(new StripeResource.LinkedEvent(type, idField));
    }
    return list;
  }

  private static Map<String, StripeResource> build() {
    Map<String, StripeResource> m = new LinkedHashMap<>();
    // The six of the documents.
    add(m, "charges", "charge", "ch_", true, Map.of(), false, true,
        "captured", "expired", "failed", "pending", "refunded", "succeeded", "updated");
    // customer.subscription.deleted reports a cancellation: the subscription stays listable with
    // status=all, so it is an update, not a delete.
    add(m, "subscriptions", "subscription", "sub_", true, Map.of("status", "all"), false, true,
        "created", "updated", "deleted", "paused", "resumed", "pending_update_applied", "pending_update_expired",
        "trial_will_end");
    add(m, "refunds", "refund", "re_", true, Map.of(), false, false, "created", "updated", "failed");
    // charge.refund.updated carries the refund itself.
    addEvent(m, "refunds", "charge.refund.updated");
    add(m, "balance_transactions", "balance_transaction", "txn_", true, Map.of(), false, false);
    add(m, "customers", "customer", "cus_", true, Map.of(), true, true, "created", "updated");
    add(m, "prices", "price", "price_", true, Map.of(), false, true, "created", "updated");
    // Further resources.
    add(m, "invoices", "invoice", "in_", true, Map.of(), true, true,
        "created", "updated", "finalized", "paid", "payment_failed", "payment_succeeded", "sent",
        "voided", "marked_uncollectible");
    add(m, "payment_intents", "payment_intent", "pi_", true, Map.of(), false, true,
        "created", "succeeded", "canceled", "processing", "payment_failed", "requires_action",
        "amount_capturable_updated", "partially_funded");
    add(m, "payment_methods", "payment_method", "pm_", false, Map.of(), false, false,
        "attached", "detached", "updated", "automatically_updated");
    add(m, "products", "product", "prod_", true, Map.of(), true, true, "created", "updated");
    add(m, "disputes", "dispute", "dp_", true, Map.of(), false, false,
        "created", "updated", "closed", "funds_reinstated", "funds_withdrawn");
    add(m, "payouts", "payout", "po_", true, Map.of(), false, false,
        "created", "updated", "paid", "failed", "canceled", "reconciliation_completed");
    add(m, "transfers", "transfer", "tr_", true, Map.of(), false, false, "created", "updated", "reversed");
    add(m, "application_fees", "application_fee", "fee_", true, Map.of(), false, false, "created", "refunded");
    add(m, "coupons", "coupon", "", true, Map.of(), true, false, "created", "updated");
    add(m, "promotion_codes", "promotion_code", "promo_", true, Map.of(), false, false, "created", "updated");
    add(m, "credit_notes", "credit_note", "cn_", true, Map.of(), false, false, "created", "updated", "voided");
    add(m, "tax_rates", "tax_rate", "txr_", true, Map.of(), false, false, "created", "updated");
    add(m, "setup_intents", "setup_intent", "seti_", true, Map.of(), false, false,
        "created", "succeeded", "canceled", "setup_failed", "requires_action");
    add(m, "checkout/sessions", "checkout.session", "cs_", true, Map.of(), false, false,
        "completed", "expired", "async_payment_succeeded", "async_payment_failed");
    add(m, "quotes", "quote", "qt_", false, Map.of(), false, false,
        "created", "finalized", "accepted", "canceled", "will_expire");
    add(m, "invoiceitems", "invoiceitem", "ii_", true, Map.of(), true, false, "created", "updated");
    add(m, "plans", "plan", "price_", true, Map.of(), true, false, "created", "updated");
    add(m, "events", "event", "evt_", true, Map.of(), false, false);
    add(m, "files", "file", "file_", true, Map.of(), false, false, "created");
    add(m, "accounts", "account", "acct_", true, Map.of(), false, false,
        "updated", "application.authorized", "application.deauthorized");
    add(m, "topups", "topup", "tu_", true, Map.of(), false, false,
        "created", "succeeded", "failed", "canceled", "reversed");
    add(m, "payment_links", "payment_link", "plink_", false, Map.of(), false, false, "created", "updated");
    add(m, "shipping_rates", "shipping_rate", "shr_", true, Map.of(), false, false, "created", "updated");
    add(m, "subscription_schedules", "subscription_schedule", "sub_sched_", true, Map.of(), false, false,
        "created", "updated", "canceled", "completed", "released", "aborted", "expiring");
    add(m, "reviews", "review", "prv_", true, Map.of(), false, false, "opened", "closed");
    Map<String, List<StripeResource.LinkedEvent>> links = links();
    for (Map.Entry<String, List<StripeResource.LinkedEvent>> e : links.entrySet()) {
      StripeResource r = m.get(e.getKey());
      m.put(r.name(), new StripeResource(r.name(), r.path(), r.objectType(), r.idPrefix(),
          r.createdFilter(), r.listParameters(), r.eventTypes(), r.deleteEventType(),
          r.searchable(), e.getValue()));
    }
    return Collections.unmodifiableMap(m);
  }

  private static void addEvent(Map<String, StripeResource> m, String name, String type) {
    StripeResource r = m.get(name);
    List<String> events = new ArrayList<>(r.eventTypes());
    events.add(type);
    m.put(name, new StripeResource(r.name(), r.path(), r.objectType(), r.idPrefix(),
        r.createdFilter(), r.listParameters(), events, r.deleteEventType(), r.searchable()));
  }

  private static void add(
      Map<String, StripeResource> m,
      String name,
      String objectType,
      String idPrefix,
      boolean createdFilter,
      Map<String, String> listParameters,
      boolean deletable,
      boolean searchable,
      String... eventSuffixes) {
    String eventPrefix = eventPrefix(objectType);
    List<String> events = new ArrayList<>();
    for (String suffix : eventSuffixes) {
      events.add(eventPrefix + "." + suffix);
    }
    String deleteEvent = deletable ? eventPrefix + ".deleted" : null;
    if (deletable) {
      events.add(deleteEvent);
    }
    m.put(name, new StripeResource(name, "/v1/" + name, objectType, idPrefix, createdFilter,
        listParameters, events, deleteEvent, searchable));
  }

  private static String eventPrefix(String objectType) {
    switch (objectType) {
      case "subscription":
        return "customer.subscription";
      case "balance_transaction":
        return "balance";
      case "dispute":
        return "charge.dispute";
      case "account":
        return "account";
      default:
        return objectType;
    }
  }
}
