package dev.sluice.testkit.internal;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeFixtures;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes generated objects. An object is a pure function of the seed, the account, the resource and
 * its index: it starts from the resource's Stripe fixture, keeps every key in the fixture's order
 * and its JSON type (or {@code null} where Stripe allows one), and varies the values: ids with the
 * resource's prefix, links to other generated objects, amounts (zero included), currencies
 * (zero-decimal and three-decimal ones included), {@code created} from the resource's
 * {@link Timeline}, texts and metadata with awkward keys and unicode.
 */
public final class Generator {

  /** Fields that hold the id of another resource's object. */
  static final Map<String, String> LINKS = Map.ofEntries(
      Map.entry("customer", "customers"),
      Map.entry("charge", "charges"),
      Map.entry("payment_intent", "payment_intents"),
      Map.entry("invoice", "invoices"),
      Map.entry("latest_invoice", "invoices"),
      Map.entry("product", "products"),
      Map.entry("price", "prices"),
      Map.entry("default_price", "prices"),
      Map.entry("balance_transaction", "balance_transactions"),
      Map.entry("subscription", "subscriptions"),
      Map.entry("payment_method", "payment_methods"),
      Map.entry("default_payment_method", "payment_methods"),
      Map.entry("refund", "refunds"),
      Map.entry("payout", "payouts"),
      Map.entry("dispute", "disputes"),
      Map.entry("latest_charge", "charges"),
      Map.entry("setup_intent", "setup_intents"),
      Map.entry("quote", "quotes"),
      Map.entry("coupon", "coupons"),
      Map.entry("promotion_code", "promotion_codes"),
      Map.entry("transfer", "transfers"),
      Map.entry("review", "reviews"),
      Map.entry("subscription_schedule", "subscription_schedules"),
      Map.entry("credit_note", "credit_notes"),
      Map.entry("tax_rate", "tax_rates"));

  /** Links that are often {@code null} in real data. */
  private static final Set<String> OPTIONAL_LINKS = Set.of(
      "customer", "payment_intent", "invoice", "latest_invoice", "default_payment_method",
      "payment_method", "review", "dispute", "transfer", "quote", "coupon", "promotion_code",
      "subscription", "subscription_schedule", "credit_note", "setup_intent", "latest_charge",
      "refund", "payout", "tax_rate", "default_price");

  private static final Set<String> AMOUNTS = Set.of(
      "amount", "amount_due", "amount_paid", "amount_remaining", "amount_captured",
      "amount_capturable", "amount_received", "amount_subtotal", "amount_total", "unit_amount",
      "subtotal", "total", "subtotal_excluding_tax", "total_excluding_tax", "amount_off",
      "amount_refunded", "net", "fee");

  private static final Set<String> TIMESTAMPS = Set.of(
      "available_on", "billing_cycle_anchor", "start_date", "current_period_start",
      "current_period_end", "trial_start", "trial_end", "due_date", "effective_at",
      "period_start", "period_end", "arrival_date", "expires_at", "updated", "start", "end",
      "next_payment_attempt", "webhooks_delivered_at", "redeem_by", "next_pending_invoice_item_invoice");

  /** Currencies with their weights: mostly usd, and the zero- and three-decimal ones. */
  private static final List<String> CURRENCIES = List.of(
      "usd", "usd", "usd", "usd", "usd", "usd", "eur", "eur", "gbp", "cad", "aud", "chf",
      "jpy", "krw", "bhd", "kwd", "sek");
  private static final Set<String> ZERO_DECIMAL = Set.of("jpy", "krw", "vnd", "clp", "xof");
  private static final Set<String> THREE_DECIMAL = Set.of("bhd", "kwd", "jod", "omr", "tnd");

  private static final List<String> NAMES = List.of(
      "Jenny Rosen", "Zoë Ångström", "山田 太郎", "Łukasz Żółć", "محمد الأحمد", "O'Brien, \"Pat\"",
      "Ünal Çelik", "José Ñúñez", "Ελένη Παπαδοπούλου", "김민준", "Ada Lovelace",
      "Grace \uD835\uDD0A Hopper", "Fran\u00e7ois <Dupont> & Co", "Rosa Parks");
  private static final List<String> DESCRIPTIONS = List.of(
      "Order #1042", "Buy now, pay later", "Klarna order 7731", "Afterpay — 4 instalments",
      "Abonnement mensuel café ☕", "月額プラン", "Zip pay in 4", "Affirm 12 months",
      "Refund for damaged item 📦", "Line1\nLine2", "Tab\tseparated", "Quote \"deluxe\" plan",
      "Backslash \\ path", "");
  private static final List<Map<String, String>> METADATA = List.of(
      Map.of("order_id", "6735"),
      Map.of("plan.tier", "gold", "shop.region", "eu-west"),
      Map.of("key with spaces", "value with spaces"),
      Map.of("客户编号", "测试-001", "emoji 🎉", "yes"),
      Map.of("a[b]", "brackets", "x=y&z", "form-like"),
      Map.of("empty", ""),
      Map.of("bnpl_provider", "klarna", "checkout", "pay_later"),
      Map.of("bnpl_provider", "afterpay"));

  private final Dataset dataset;

  Generator(Dataset dataset) {
    this.dataset = dataset;
  }

  /** Per-object state while one object is generated. */
  private static final class Ctx {
    final Rng rng;
    final String id;
    final long index;
    final long created;
    final String currency;
    final long amount;

    Ctx(Rng rng, String id, long index, long created, String currency, long amount) {
      this.rng = rng;
      this.id = id;
      this.index = index;
      this.created = created;
      this.currency = currency;
      this.amount = amount;
    }
  }

  /** The generated object with this index in a resource. */
  public DataRecord generate(String resourceName, long index) {
    Dataset.Shape shape = dataset.shape(resourceName);
    StripeResource resource = shape.resource();
    Rng rng = Rng.of(dataset.seed(), dataset.account() + "/object/" + resourceName, index);
    String currency = rng.pick(CURRENCIES);
    Ctx c = new Ctx(rng, shape.ids().id(index), index, shape.timeline().created(index), currency,
        amount(rng, currency));
    DataRecord fixture = StripeFixtures.get(resource.objectType());
    DataRecord record = (DataRecord) vary(fixture, null, c, 0);
    return customize(resourceName, record, c);
  }

  /** An amount in the smallest currency unit: zero now and then, sometimes very large. */
  static long amount(Rng rng, String currency) {
    long a;
    if (rng.chance(0.04)) {
      a = 0;
    } else if (rng.chance(0.02)) {
      a = rng.between(10_000_000, 99_999_999);
    } else {
      a = rng.between(50, 50_000);
    }
    if (ZERO_DECIMAL.contains(currency)) {
      a = a / 100 * 10;
    } else if (THREE_DECIMAL.contains(currency)) {
      a = a * 10;
    }
    return a;
  }

  private Object vary(Object value, String key, Ctx c, int depth) {
    if (value instanceof DataRecord) {
      DataRecord in = (DataRecord) value;
      if ("metadata".equals(key)) {
        return metadata(c.rng);
      }
      DataRecord.Builder out = DataRecord.builder();
      Object objectField = in.get("object");
      String objectType = objectField instanceof String ? (String) objectField : null;
      for (Map.Entry<String, Object> e : in.asMap().entrySet()) {
        Object v = e.getValue();
        if (depth > 0 && "id".equals(e.getKey()) && v instanceof String && objectType != null) {
          String linked = StripeCatalog.forObjectType(objectType)
              .map(r -> dataset.randomId(r.name(), c.rng)).orElse(null);
          out.put("id", linked != null ? linked : v);
        } else {
          out.put(e.getKey(), vary(v, e.getKey(), c, depth + 1));
        }
      }
      return out.build();
    }
    if (value instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object item : (List<?>) value) {
        out.add(vary(item, key, c, depth + 1));
      }
      return out;
    }
    if (key == null) {
      return value;
    }
    if (value instanceof String) {
      return varyString((String) value, key, c, depth);
    }
    if (value == null) {
      return varyNull(key, c);
    }
    if (value instanceof Long) {
      return varyLong((Long) value, key, c, depth);
    }
    if (value instanceof Boolean && "livemode".equals(key)) {
      return false;
    }
    return value;
  }

  private Object varyString(String value, String key, Ctx c, int depth) {
    switch (key) {
      case "id":
        return depth == 1 ? c.id : value;
      case "currency":
        return c.currency;
      case "description":
        return c.rng.chance(0.2) ? null : c.rng.pick(DESCRIPTIONS);
      case "name":
        return c.rng.pick(NAMES);
      case "email":
      case "receipt_email":
        return email(c);
      default:
        break;
    }
    String linked = LINKS.get(key);
    if (linked != null && value.contains("_")) {
      if (OPTIONAL_LINKS.contains(key) && c.rng.chance(0.25)) {
        return null;
      }
      String id = dataset.randomId(linked, c.rng);
      return id != null ? id : value;
    }
    return value;
  }

  private Object varyNull(String key, Ctx c) {
    String linked = LINKS.get(key);
    if (linked != null && c.rng.chance(0.5)) {
      return dataset.randomId(linked, c.rng);
    }
    switch (key) {
      case "email":
      case "receipt_email":
        return c.rng.chance(0.6) ? email(c) : null;
      case "name":
        return c.rng.chance(0.6) ? c.rng.pick(NAMES) : null;
      case "description":
        return c.rng.chance(0.4) ? c.rng.pick(DESCRIPTIONS) : null;
      default:
        return null;
    }
  }

  private Object varyLong(Long value, String key, Ctx c, int depth) {
    if ("created".equals(key)) {
      return depth == 1 ? c.created : c.created - c.rng.nextLong(86_400);
    }
    if (TIMESTAMPS.contains(key) || key.endsWith("_at")) {
      return c.created + c.rng.nextLong(90L * 86_400);
    }
    if (AMOUNTS.contains(key)) {
      return c.amount;
    }
    return value;
  }

  private static String email(Ctx c) {
    String[] users = {"jenny.rosen", "zoe+test", "taro.yamada", "o'brien", "ünal", "a.b.c"};
    String[] hosts = {"example.com", "example.org", "例え.jp", "mail.example.co.uk"};
    return c.rng.pick(users) + c.index + "@" + c.rng.pick(hosts);
  }

  static DataRecord metadata(Rng rng) {
    if (rng.chance(0.6)) {
      return DataRecord.empty();
    }
    Map<String, String> m = rng.pick(METADATA);
    DataRecord.Builder b = DataRecord.builder();
    m.keySet().stream().sorted().forEach(k -> b.put(k, m.get(k)));
    return b.build();
  }

  // ---------------------------------------------------------------- per resource

  private DataRecord customize(String resource, DataRecord r, Ctx c) {
    switch (resource) {
      case "charges":
        return charge(r, c);
      case "subscriptions":
        return subscription(r, c);
      case "refunds":
        return refund(r, c);
      case "balance_transactions":
        return balanceTransaction(r, c);
      case "customers":
        return customer(r, c);
      case "prices":
        return price(r, c);
      case "invoices":
        return invoice(r, c);
      case "payment_intents":
        return paymentIntent(r, c);
      case "events":
        return event(r, c);
      default:
        return withStatus(resource, r, c);
    }
  }

  /** Plausible statuses of resources that have no customizer of their own. */
  private static final Map<String, List<String>> STATUSES = Map.of(
      "setup_intents", List.of("succeeded", "succeeded", "succeeded", "requires_payment_method",
          "requires_confirmation", "requires_action", "processing", "canceled"),
      "payouts", List.of("paid", "paid", "paid", "paid", "pending", "in_transit", "canceled",
          "failed"),
      "disputes", List.of("won", "lost", "under_review", "needs_response",
          "warning_needs_response", "warning_closed", "won"),
      "quotes", List.of("draft", "draft", "open", "accepted", "canceled"),
      "checkout/sessions", List.of("complete", "complete", "open", "expired"),
      "topups", List.of("succeeded", "succeeded", "pending", "failed", "canceled", "reversed"),
      "credit_notes", List.of("issued", "issued", "void"));

  private DataRecord withStatus(String resource, DataRecord r, Ctx c) {
    List<String> statuses = STATUSES.get(resource);
    if (statuses == null || !(r.get("status") instanceof String)) {
      return r;
    }
    return r.toBuilder().put("status", c.rng.pick(statuses)).build();
  }

  /** Puts a value only where the fixture has the field, so keys stay the fixture's. */
  private static void putIfPresent(DataRecord.Builder b, String key, Object value) {
    if (b.has(key)) {
      b.put(key, value);
    }
  }

  private DataRecord invoice(DataRecord r, Ctx c) {
    Rng rng = c.rng;
    int roll = rng.nextInt(100);
    String status = roll < 60 ? "paid" : roll < 75 ? "open" : roll < 85 ? "draft"
        : roll < 93 ? "void" : "uncollectible";
    List<DataRecord> lines = invoiceLines(StripeFixtures.get("invoice"), c.index, c.id, c.currency);
    long total = 0;
    for (DataRecord line : lines) {
      total += line.getLong("amount");
    }
    boolean paid = status.equals("paid");
    DataRecord.Builder b = r.toBuilder();
    b.put("status", status)
        .put("customer", dataset.randomId("customers", rng))
        .put("subscription", rng.chance(0.6) ? dataset.randomId("subscriptions", rng) : null)
        .put("amount_due", total)
        .put("amount_paid", paid ? total : 0L)
        .put("amount_remaining", paid || status.equals("void") ? 0L : total)
        .put("subtotal", total)
        .put("total", total)
        .put("number", status.equals("draft") ? null : "INV-" + (1000 + c.index))
        .put("attempted", !status.equals("draft"))
        .put("attempt_count", status.equals("draft") ? 0L : 1L);
    putIfPresent(b, "subtotal_excluding_tax", total);
    putIfPresent(b, "total_excluding_tax", total);
    putIfPresent(b, "amount_overpaid", 0L);
    putIfPresent(b, "amount_shipping", 0L);
    DataRecord embedded = r.getRecord("lines");
    if (embedded != null) {
      b.put("lines", embedded.toBuilder()
          .put("data", lines.subList(0, Math.min(EMBEDDED_LIMIT, lines.size())))
          .put("has_more", lines.size() > EMBEDDED_LIMIT)
          .put("url", "/v1/invoices/" + c.id + "/lines")
          .build());
    }
    return b.build();
  }

  /** Embedded lists ({@code invoice.lines}, {@code subscription.items}) show at most this many. */
  public static final int EMBEDDED_LIMIT = 10;

  /**
   * All lines of a generated invoice: most have one to three, some more than ten, so the embedded
   * list has {@code has_more} and {@code /v1/invoices/{id}/lines} pages.
   */
  public List<DataRecord> invoiceLines(DataRecord invoiceTemplate, long invoiceIndex,
      String invoiceId, String currency) {
    DataRecord template = Records.firstOf(invoiceTemplate.getRecord("lines"));
    List<DataRecord> out = new ArrayList<>();
    if (template == null) {
      return out;
    }
    Rng rng = Rng.of(dataset.seed(), dataset.account() + "/invoice_lines", invoiceIndex);
    int roll = rng.nextInt(100);
    int n = roll < 70 ? 1 + rng.nextInt(3) : roll < 85 ? 4 + rng.nextInt(7) : 11 + rng.nextInt(15);
    Ids lineIds = dataset.ids("invoice_lines", "il_");
    for (int k = 0; k < n; k++) {
      long amount = amount(rng, currency);
      DataRecord.Builder line = template.toBuilder()
          .put("id", lineIds.id(invoiceIndex * 32 + k))
          .put("invoice", invoiceId)
          .put("amount", amount)
          .put("currency", currency)
          .put("description", rng.pick(DESCRIPTIONS))
          .put("quantity", (long) (1 + rng.nextInt(5)))
          .put("metadata", metadata(rng));
      putIfPresent(line, "subtotal", amount);
      out.add(line.build());
    }
    return out;
  }

  private DataRecord paymentIntent(DataRecord r, Ctx c) {
    Rng rng = c.rng;
    int roll = rng.nextInt(100);
    String status = roll < 70 ? "succeeded" : roll < 78 ? "requires_payment_method"
        : roll < 83 ? "requires_confirmation" : roll < 87 ? "requires_action"
        : roll < 90 ? "processing" : roll < 95 ? "requires_capture" : "canceled";
    boolean succeeded = status.equals("succeeded");
    return r.toBuilder()
        .put("status", status)
        .put("amount", c.amount)
        .put("amount_received", succeeded ? c.amount : 0L)
        .put("amount_capturable", status.equals("requires_capture") ? c.amount : 0L)
        .put("canceled_at", status.equals("canceled") ? c.created + 3_600 : null)
        .put("cancellation_reason", status.equals("canceled") ? "requested_by_customer" : null)
        .put("client_secret", c.id + "_secret_" + Long.toHexString(rng.nextLong()))
        .put("latest_charge", succeeded || status.equals("requires_capture")
            ? dataset.randomId("charges", rng) : null)
        .put("customer", rng.chance(0.7) ? dataset.randomId("customers", rng) : null)
        .put("payment_method", status.equals("requires_payment_method") ? null
            : dataset.randomId("payment_methods", rng))
        .put("last_payment_error", status.equals("requires_payment_method")
            && rng.chance(0.5) ? r.get("last_payment_error") : null)
        .put("next_action", status.equals("requires_action") ? r.get("next_action") : null)
        .put("processing", status.equals("processing") ? r.get("processing") : null)
        .build();
  }

  /** Resources whose generated events are made, with their share. */
  private static final List<String> EVENT_SOURCES = List.of(
      "charges", "charges", "charges", "customers", "customers", "subscriptions", "refunds",
      "invoices", "invoices", "payment_intents", "payment_intents", "prices", "products",
      "payouts", "disputes");

  private DataRecord event(DataRecord r, Ctx c) {
    Rng rng = c.rng;
    String source = rng.pick(EVENT_SOURCES);
    StripeResource resource = dataset.shape(source).resource();
    long count = dataset.shape(source).count();
    List<String> types = resource.eventTypes();
    String type = types.isEmpty() ? resource.objectType() + ".updated" : rng.pick(types);
    DataRecord object = count == 0 ? StripeFixtures.get(resource.objectType())
        : generate(source, rng.nextLong(count));
    DataRecord.Builder data = DataRecord.builder().put("object", object);
    if (type.endsWith(".updated")) {
      data.put("previous_attributes", rng.chance(0.5)
          ? DataRecord.builder().put("metadata", DataRecord.empty()).build()
          : DataRecord.builder().put("description", rng.pick(DESCRIPTIONS)).build());
    }
    return r.toBuilder()
        .put("api_version", HttpFront.API_VERSION)
        .put("data", data.build())
        .put("type", type)
        .put("pending_webhooks", 0L)
        .put("request", DataRecord.builder().put("id", null).put("idempotency_key", null).build())
        .build();
  }

  private DataRecord charge(DataRecord r, Ctx c) {
    Rng rng = c.rng;
    double roll = rng.nextInt(100);
    String status = roll < 85 ? "succeeded" : roll < 93 ? "failed" : "pending";
    boolean succeeded = status.equals("succeeded");
    boolean captured = succeeded && rng.chance(0.95);
    long refunded = 0;
    if (captured && c.amount > 0 && rng.chance(0.15)) {
      refunded = rng.chance(0.5) ? c.amount : rng.between(1, c.amount);
    }
    DataRecord.Builder b = r.toBuilder()
        .put("amount", c.amount)
        .put("amount_captured", captured ? c.amount : 0L)
        .put("amount_refunded", refunded)
        .put("captured", captured)
        .put("paid", succeeded)
        .put("refunded", c.amount > 0 && refunded == c.amount)
        .put("status", status)
        .put("failure_code", status.equals("failed") ? rng.pick("card_declined", "expired_card",
            "insufficient_funds") : null)
        .put("failure_message", status.equals("failed") ? "Your card was declined." : null)
        .put("balance_transaction", succeeded ? dataset.randomId("balance_transactions", rng) : null)
        .put("customer", rng.chance(0.7) ? dataset.randomId("customers", rng) : null)
        .put("payment_intent", rng.chance(0.6) ? dataset.randomId("payment_intents", rng) : null);
    DataRecord out = b.build();
    out = Records.setPath(out, "refunds.url", "/v1/charges/" + c.id + "/refunds");
    out = Records.setPath(out, "payment_method_details.card.overcapture.maximum_amount_capturable",
        c.amount);
    return out;
  }

  private DataRecord subscription(DataRecord r, Ctx c) {
    Rng rng = c.rng;
    int roll = rng.nextInt(100);
    String status = roll < 60 ? "active" : roll < 75 ? "canceled" : roll < 83 ? "trialing"
        : roll < 90 ? "past_due" : roll < 94 ? "incomplete" : roll < 97 ? "unpaid" : "paused";
    boolean canceled = status.equals("canceled");
    boolean trialing = status.equals("trialing");
    long canceledAt = c.created + rng.between(86_400, 400L * 86_400);
    DataRecord.Builder b = r.toBuilder()
        .put("status", status)
        .put("customer", dataset.randomId("customers", rng))
        .put("canceled_at", canceled ? canceledAt : null)
        .put("ended_at", canceled ? canceledAt : null)
        .put("cancel_at", null)
        .put("cancel_at_period_end", false)
        .put("trial_start", trialing ? c.created : null)
        .put("trial_end", trialing ? c.created + 14L * 86_400 : null)
        .put("start_date", c.created)
        .put("billing_cycle_anchor", c.created);
    DataRecord items = r.getRecord("items");
    if (items != null) {
      b.put("items", subscriptionItems(items, c));
    }
    return b.build();
  }

  /** A subscription's items: index k of subscription i is item {@code i * 32 + k}. */
  private DataRecord subscriptionItems(DataRecord items, Ctx c) {
    DataRecord template = Records.firstOf(items);
    int n = 1 + (c.rng.chance(0.2) ? c.rng.nextInt(3) : 0);
    List<Object> data = new ArrayList<>();
    Ids itemIds = dataset.ids("subscription_items", "si_");
    for (int k = 0; template != null && k < n; k++) {
      DataRecord.Builder item = template.toBuilder()
          .put("id", itemIds.id(c.index * 32 + k))
          .put("subscription", c.id)
          .put("created", c.created)
          .put("quantity", (long) (1 + c.rng.nextInt(k == 0 ? 3 : 10)));
      DataRecord price = template.getRecord("price");
      if (price != null) {
        long unit = amount(c.rng, c.currency);
        price = price.toBuilder()
            .put("id", dataset.randomId("prices", c.rng))
            .put("currency", c.currency)
            .put("unit_amount", unit)
            .put("unit_amount_decimal", Long.toString(unit))
            .put("product", dataset.randomId("products", c.rng))
            .build();
        item.put("price", price);
      }
      data.add(item.build());
    }
    return items.toBuilder()
        .put("data", data)
        .put("has_more", false)
        .put("url", "/v1/subscription_items?subscription=" + c.id)
        .build();
  }

  private DataRecord refund(DataRecord r, Ctx c) {
    Rng rng = c.rng;
    int roll = rng.nextInt(100);
    return r.toBuilder()
        .put("amount", c.amount)
        .put("charge", dataset.randomId("charges", rng))
        .put("status", roll < 90 ? "succeeded" : roll < 96 ? "pending" : "failed")
        .put("reason", rng.pick(null, "requested_by_customer", "duplicate", "fraudulent"))
        .put("balance_transaction", dataset.randomId("balance_transactions", rng))
        .build();
  }

  private DataRecord balanceTransaction(DataRecord r, Ctx c) {
    Rng rng = c.rng;
    int roll = rng.nextInt(100);
    String type = roll < 50 ? "charge" : roll < 65 ? "refund" : roll < 75 ? "payout"
        : roll < 80 ? "stripe_fee" : roll < 85 ? "adjustment" : roll < 95 ? "payment" : "transfer";
    long amount = c.amount;
    if (rng.chance(0.01)) {
      amount = 9_007_199_254_740_993L + rng.nextLong(1_000_000); // past 2^53: breaks doubles
    }
    boolean negative = type.equals("refund") || type.equals("payout") || type.equals("stripe_fee")
        || type.equals("transfer") || (type.equals("adjustment") && rng.chance(0.5));
    if (negative) {
      amount = -amount;
    }
    long fee = type.equals("charge") || type.equals("payment")
        ? Math.min(Math.abs(amount), Math.abs(amount) / 1000 * 29 + 30) : 0;
    String category = switch (type) {
      case "charge", "payment" -> "charge";
      case "refund" -> "refund";
      case "payout" -> "payout";
      case "stripe_fee" -> "fee";
      case "transfer" -> "transfer";
      default -> "other_adjustment";
    };
    String source = switch (type) {
      case "charge", "payment" -> dataset.randomId("charges", rng);
      case "refund" -> dataset.randomId("refunds", rng);
      case "payout" -> dataset.randomId("payouts", rng);
      case "transfer" -> dataset.randomId("transfers", rng);
      default -> null;
    };
    return r.toBuilder()
        .put("amount", amount)
        .put("fee", fee)
        .put("net", amount - fee)
        .put("type", type)
        .put("reporting_category", category)
        .put("source", source)
        .put("available_on", c.created + 2L * 86_400)
        .put("status", rng.chance(0.9) ? "available" : "pending")
        .build();
  }

  private DataRecord customer(DataRecord r, Ctx c) {
    Rng rng = c.rng;
    long balance = rng.chance(0.8) ? 0 : rng.chance(0.6) ? -rng.between(1, 500_000)
        : rng.between(1, 500_000);
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      prefix.append("0123456789ABCDEF".charAt(rng.nextInt(16)));
    }
    return r.toBuilder()
        .put("name", rng.chance(0.9) ? rng.pick(NAMES) : null)
        .put("email", rng.chance(0.9) ? email(c) : null)
        .put("balance", balance)
        .put("currency", rng.chance(0.2) ? null : c.currency)
        .put("delinquent", rng.chance(0.05))
        .put("discount", rng.chance(0.9) ? null : r.get("discount"))
        .put("invoice_prefix", prefix.toString())
        .put("next_invoice_sequence", (long) (1 + rng.nextInt(40)))
        .put("preferred_locales", rng.chance(0.7) ? List.of()
            : List.of(rng.pick("en", "fr-CA", "ja", "sv", "zh-Hant")))
        .build();
  }

  private DataRecord price(DataRecord r, Ctx c) {
    Rng rng = c.rng;
    boolean recurring = rng.chance(0.6);
    DataRecord rec = r.getRecord("recurring");
    if (recurring && rec != null) {
      rec = rec.toBuilder().put("interval", rng.pick("month", "month", "year", "week", "day"))
          .put("interval_count", (long) (rng.chance(0.8) ? 1 : 1 + rng.nextInt(6))).build();
    }
    return r.toBuilder()
        .put("active", rng.chance(0.85))
        .put("type", recurring ? "recurring" : "one_time")
        .put("recurring", recurring ? rec : null)
        .put("unit_amount", c.amount)
        .put("unit_amount_decimal", Long.toString(c.amount))
        .put("product", dataset.randomId("products", rng))
        .put("lookup_key", rng.chance(0.2) ? "plan_" + c.index : null)
        .put("transform_quantity", rng.chance(0.9) ? null : r.get("transform_quantity"))
        .build();
  }
}
