package dev.sluice.testkit.internal;

import dev.sluice.stripe.catalog.StripeFixtures;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.xdm.DataRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates, updates and deletes objects (an overlay over the generated data) and records the events
 * Stripe would send: {@code <type>.created}, {@code <type>.updated} with {@code
 * data.previous_attributes}, {@code <type>.deleted}; and runs the state transitions of payment
 * intents, quotes, invoices and payment methods.
 *
 * <p>Form values are typed by the resource's fixture: a field that is an integer there must be an
 * integer here, and so on; an empty value clears a field ({@code null}), and in {@code metadata}
 * removes the key ({@code metadata=} clears all of it).
 */
public final class Writes {
  private final Backend backend;

  /** Writes dated by the backend's clock. */
  public Writes(Backend backend) {
    this.backend = backend;
  }

  // ------------------------------------------------------------------ parameters per resource

  private static final Map<String, Set<String>> CREATE = Map.of(
      "customers", Set.of("address", "balance", "description", "email", "metadata", "name",
          "phone", "preferred_locales", "shipping", "invoice_prefix", "invoice_settings",
          "payment_method", "tax_exempt", "test_clock", "source", "coupon", "promotion_code",
          "next_invoice_sequence", "tax", "tax_id_data", "cash_balance"),
      "products", Set.of("name", "active", "description", "metadata", "images", "shippable",
          "statement_descriptor", "tax_code", "unit_label", "url", "id", "default_price_data",
          "marketing_features", "package_dimensions", "type"),
      "prices", Set.of("currency", "product", "product_data", "unit_amount", "unit_amount_decimal",
          "active", "metadata", "nickname", "recurring", "lookup_key", "tax_behavior",
          "billing_scheme", "transfer_lookup_key", "custom_unit_amount", "tiers", "tiers_mode",
          "transform_quantity", "currency_options"),
      "payment_intents", Set.of("amount", "currency", "customer", "payment_method", "description",
          "metadata", "confirm", "capture_method", "confirmation_method", "receipt_email",
          "setup_future_usage", "statement_descriptor", "statement_descriptor_suffix",
          "payment_method_types", "automatic_payment_methods", "return_url", "off_session",
          "shipping", "on_behalf_of", "transfer_data", "transfer_group", "application_fee_amount",
          "payment_method_options", "error_on_requires_action", "mandate"),
      "refunds", Set.of("charge", "payment_intent", "amount", "metadata", "reason",
          "instructions_email", "refund_application_fee", "reverse_transfer", "origin"));

  private static final Map<String, Set<String>> UPDATE = Map.of(
      "customers", CREATE.get("customers"),
      "products", Set.of("name", "active", "description", "metadata", "images", "shippable",
          "statement_descriptor", "tax_code", "unit_label", "url", "default_price",
          "marketing_features", "package_dimensions"),
      "prices", Set.of("active", "metadata", "nickname", "lookup_key", "tax_behavior",
          "transfer_lookup_key", "currency_options"),
      "payment_intents", Set.of("amount", "currency", "customer", "payment_method", "description",
          "metadata", "receipt_email", "setup_future_usage", "statement_descriptor",
          "statement_descriptor_suffix", "payment_method_types", "shipping", "transfer_group",
          "application_fee_amount", "payment_method_options", "capture_method"),
      "refunds", Set.of("metadata"));

  /** Resources that cannot be written through the API. */
  private static final Set<String> READ_ONLY = Set.of("events", "balance_transactions",
      "accounts", "reviews");

  private static Set<String> allowed(Map<String, Set<String>> table, StripeResource r) {
    Set<String> s = table.get(r.name());
    if (s != null) {
      return s;
    }
    // Other resources: any field of the fixture except the ones Stripe sets itself.
    Set<String> fields = new java.util.HashSet<>(StripeFixtures.get(r.objectType()).keys());
    fields.removeAll(Set.of("id", "object", "created", "livemode"));
    return fields;
  }

  // ------------------------------------------------------------------ create, update, delete

  /** {@code POST /v1/<resource>}. */
  public DataRecord create(Account account, StripeResource r, ApiRequest req) {
    if (READ_ONLY.contains(r.name())) {
      throw ApiError.invalid(null, "Unrecognized request URL (POST: " + r.path() + ").", null);
    }
    Map<String, Object> params = req.params();
    checkKnown(params, allowed(CREATE, r));
    ResourceStore store = account.store(r.name());
    synchronized (store.lock()) {
      long now = backend.now();
      Key key = store.allocate(now);
      String id = store.idOf(key);
      DataRecord object = blank(r, id, now, account, params);
      object = apply(object, params, StripeFixtures.get(r.objectType()), "");
      object = afterCreate(account, r, object, params, req);
      store.insert(key, object);
      emit(account, req, eventName(r, "created"), object, null);
      if (r.name().equals("payment_intents") && "true".equals(params.get("confirm"))) {
        ApiRequest confirm = new ApiRequest("POST", r.path() + "/" + id + "/confirm", Map.of(),
            Map.of(), req.headers(), req.account(), req.requestId());
        return transition(account, r, id, "confirm", confirm);
      }
      return object;
    }
  }

  /** {@code POST /v1/<resource>/<id>}. */
  public DataRecord update(Account account, StripeResource r, String id, ApiRequest req) {
    if (READ_ONLY.contains(r.name())) {
      throw ApiError.invalid(null,
          "Unrecognized request URL (POST: " + r.path() + "/" + id + ").", null);
    }
    Map<String, Object> params = req.params();
    checkKnown(params, allowed(UPDATE, r));
    ResourceStore store = account.store(r.name());
    synchronized (store.lock()) {
      DataRecord before = store.get(id);
      if (before == null) {
        throw ApiError.missing(r.objectType(), id, "id");
      }
      DataRecord after = apply(before, params, StripeFixtures.get(r.objectType()), "");
      if (after.has("updated") && after.get("updated") instanceof Long) {
        after = after.toBuilder().put("updated", backend.now()).build();
      }
      store.replace(id, after);
      DataRecord previous = previousAttributes(before, after);
      if (!previous.isEmpty()) {
        emit(account, req, eventName(r, "updated"), after, previous);
        if (r.name().equals("refunds")) {
          // Stripe still sends the older name of a refund's update alongside the new one.
          emit(account, req, "charge.refund.updated", after, previous);
        }
      }
      return after;
    }
  }

  /** {@code DELETE /v1/<resource>/<id>}: answers Stripe's {@code {"id","object","deleted"}}. */
  public DataRecord delete(Account account, StripeResource r, String id, ApiRequest req) {
    if (!r.deletable()) {
      throw ApiError.invalid(null,
          "Unrecognized request URL (DELETE: " + r.path() + "/" + id + ").", null);
    }
    ResourceStore store = account.store(r.name());
    synchronized (store.lock()) {
      DataRecord before = store.get(id);
      if (before == null) {
        throw ApiError.missing(r.objectType(), id, "id");
      }
      store.delete(id);
      emit(account, req, r.deleteEventType(), before, null);
      return deletedStub(r, id);
    }
  }

  /** What Stripe answers for a deleted object. */
  public static DataRecord deletedStub(StripeResource r, String id) {
    return DataRecord.builder().put("id", id).put("object", r.objectType()).put("deleted", true)
        .build();
  }

  private static void checkKnown(Map<String, Object> params, Set<String> allowed) {
    for (String name : params.keySet()) {
      if (!name.equals("expand") && !allowed.contains(name)) {
        throw ApiError.unknownParameter(name);
      }
    }
  }

  private static String eventName(StripeResource r, String suffix) {
    String prefix = r.objectType().equals("subscription") ? "customer.subscription"
        : r.objectType();
    return prefix + "." + suffix;
  }

  // ------------------------------------------------------------------ new objects

  private static void require(Map<String, Object> params, String name) {
    Object v = params.get(name);
    if (v == null || "".equals(v)) {
      throw ApiError.invalid("parameter_missing", "Missing required param: " + name + ".", name);
    }
  }

  /** A fresh object of a resource: the fixture's keys, Stripe's defaults, nothing generated. */
  private DataRecord blank(StripeResource r, String id, long now, Account account,
      Map<String, Object> params) {
    DataRecord fixture = StripeFixtures.get(r.objectType());
    DataRecord.Builder b = fixture.toBuilder()
        .put("id", id)
        .put("created", now);
    if (b.has("livemode")) {
      b.put("livemode", false);
    }
    if (b.has("metadata")) {
      b.put("metadata", DataRecord.empty());
    }
    for (String k : List.of("description", "customer", "email", "name", "phone")) {
      if (b.has(k) && !(b.get(k) instanceof DataRecord)) {
        b.put(k, null);
      }
    }
    switch (r.name()) {
      case "customers" -> {
        b.put("address", null).put("balance", 0L).put("currency", null).put("delinquent", false)
            .put("discount", null).put("shipping", null).put("default_source", null)
            .put("next_invoice_sequence", 1L).put("preferred_locales", List.of())
            .put("invoice_prefix", Long.toHexString(Rng.mix(now ^ id.hashCode())).substring(0, 8)
                .toUpperCase(java.util.Locale.ROOT));
      }
      case "products" -> {
        require(params, "name");
        b.put("active", true).put("default_price", null).put("images", List.of())
            .put("marketing_features", List.of()).put("package_dimensions", null)
            .put("shippable", null).put("statement_descriptor", null).put("tax_code", null)
            .put("unit_label", null).put("updated", now).put("url", null).put("type", "service");
      }
      case "prices" -> {
        require(params, "currency");
        if (!params.containsKey("product_data")) {
          require(params, "product");
          String product = String.valueOf(params.get("product"));
          if (account.store("products").get(product) == null) {
            throw ApiError.invalid("resource_missing", "No such product: '" + product + "'",
                "product");
          }
        }
        boolean recurring = params.get("recurring") instanceof Map;
        b.put("active", true).put("lookup_key", null).put("nickname", null)
            .put("custom_unit_amount", null).put("transform_quantity", null)
            .put("type", recurring ? "recurring" : "one_time")
            .put("recurring", recurring ? fixture.get("recurring") : null)
            .put("unit_amount", null).put("unit_amount_decimal", null);
      }
      case "payment_intents" -> {
        require(params, "amount");
        require(params, "currency");
        b.put("status", params.containsKey("payment_method") && !"".equals(
                params.get("payment_method")) ? "requires_confirmation" : "requires_payment_method")
            .put("amount_capturable", 0L).put("amount_received", 0L).put("canceled_at", null)
            .put("cancellation_reason", null).put("client_secret", id + "_secret_"
                + Long.toHexString(Rng.mix(now * 31 + id.hashCode())))
            .put("latest_charge", null).put("last_payment_error", null).put("next_action", null)
            .put("processing", null).put("payment_method", null).put("receipt_email", null)
            .put("review", null);
      }
      default -> { }
    }
    return b.build();
  }

  private DataRecord afterCreate(Account account, StripeResource r, DataRecord object,
      Map<String, Object> params, ApiRequest req) {
    if (r.name().equals("refunds")) {
      return refundCharge(account, object, params, req);
    }
    if (r.name().equals("prices")) {
      DataRecord.Builder b = object.toBuilder();
      Object amount = object.get("unit_amount");
      if (amount != null && object.get("unit_amount_decimal") == null) {
        b.put("unit_amount_decimal", amount.toString());
      }
      if (params.get("product_data") instanceof Map) {
        b.put("product", createProduct(account, (Map<?, ?>) params.get("product_data"), req));
      }
      return b.build();
    }
    return object;
  }

  /**
   * A new refund takes money back from its charge: the charge's {@code amount_refunded} grows,
   * {@code refunded} turns true once all of it is, the refund joins {@code charge.refunds}, and
   * {@code charge.refunded} is emitted (before the refund's own {@code refund.created}), as Stripe
   * does.
   */
  private DataRecord refundCharge(Account account, DataRecord refund, Map<String, Object> params,
      ApiRequest req) {
    String chargeId = params.get("charge") instanceof String c && !c.isEmpty() ? c : null;
    if (chargeId == null && params.get("payment_intent") instanceof String pi && !pi.isEmpty()) {
      DataRecord intent = account.store("payment_intents").get(pi);
      if (intent == null) {
        throw ApiError.invalid("resource_missing", "No such payment_intent: '" + pi + "'",
            "payment_intent");
      }
      chargeId = intent.getString("latest_charge");
      if (chargeId == null) {
        throw ApiError.invalid(null, "This PaymentIntent (" + pi + ") does not have a successful"
            + " charge to refund.", "payment_intent");
      }
    }
    if (chargeId == null) {
      throw ApiError.invalid("parameter_missing", "One of the following params should be provided"
          + " for this request: payment_intent or charge.", null);
    }
    ResourceStore charges = account.store("charges");
    synchronized (charges.lock()) {
      DataRecord charge = charges.get(chargeId);
      if (charge == null) {
        throw ApiError.invalid("resource_missing", "No such charge: '" + chargeId + "'", "charge");
      }
      long amount = charge.getLong("amount");
      long refunded = charge.getLong("amount_refunded") == null ? 0 : charge.getLong("amount_refunded");
      if (refunded >= amount) {
        throw ApiError.invalid("charge_already_refunded", "Charge " + chargeId
            + " has already been refunded.", null);
      }
      long asked = params.containsKey("amount") ? refund.getLong("amount") : amount - refunded;
      if (asked <= 0 || asked > amount - refunded) {
        throw ApiError.invalid("amount_too_large", "Refund amount (" + asked + ") is greater than"
            + " unrefunded amount on charge (" + (amount - refunded) + ")", "amount");
      }
      DataRecord done = refund.toBuilder().put("charge", chargeId).put("amount", asked)
          .put("currency", charge.get("currency")).put("payment_intent", charge.get("payment_intent"))
          .put("balance_transaction", null).put("status", "succeeded").build();
      DataRecord.Builder after = charge.toBuilder().put("amount_refunded", refunded + asked)
          .put("refunded", refunded + asked == amount);
      DataRecord list = charge.getRecord("refunds");
      if (list != null && list.get("data") instanceof List) {
        List<Object> data = new ArrayList<>();
        data.add(done);
        data.addAll(list.getList("data"));
        after.put("refunds", list.toBuilder().put("data", data).build());
      }
      DataRecord updated = after.build();
      charges.replace(chargeId, updated);
      emit(account, req, "charge.refunded", updated, previousAttributes(charge, updated));
      return done;
    }
  }

  /**
   * Opens a dispute on a charge, as a cardholder's bank would: a new dispute ({@code
   * needs_response}) for what is left of the charge, the charge marked {@code disputed}, and
   * {@code charge.dispute.created} emitted (Stripe sends no event about the charge itself).
   *
   * @throws IllegalArgumentException if the charge does not exist or is already disputed
   */
  public DataRecord dispute(Account account, String chargeId) {
    ResourceStore disputes = account.store("disputes");
    ResourceStore charges = account.store("charges");
    synchronized (disputes.lock()) {
      synchronized (charges.lock()) {
        DataRecord charge = charges.get(chargeId);
        if (charge == null) {
          throw new IllegalArgumentException("No such charge: '" + chargeId + "'");
        }
        if (Boolean.TRUE.equals(charge.getBoolean("disputed"))) {
          throw new IllegalArgumentException("The charge " + chargeId + " is already disputed");
        }
        long now = backend.now();
        Key key = disputes.allocate(now);
        long refunded = charge.getLong("amount_refunded") == null ? 0 : charge.getLong("amount_refunded");
        DataRecord dispute = StripeFixtures.get("dispute").toBuilder()
            .put("id", disputes.idOf(key)).put("created", now).put("livemode", false)
            .put("amount", charge.getLong("amount") - refunded).put("charge", chargeId)
            .put("currency", charge.get("currency")).put("payment_intent", charge.get("payment_intent"))
            .put("metadata", DataRecord.empty()).put("reason", "fraudulent")
            .put("status", "needs_response").put("balance_transactions", List.of())
            .put("is_charge_refundable", false).build();
        disputes.insert(key, dispute);
        charges.replace(chargeId, charge.toBuilder().put("disputed", true).build());
        emit(account, null, "charge.dispute.created", dispute, null);
        return dispute;
      }
    }
  }

  private String createProduct(Account account, Map<?, ?> data, ApiRequest req) {
    Map<String, Object> params = new LinkedHashMap<>();
    data.forEach((k, v) -> params.put(String.valueOf(k), v));
    ApiRequest inner = new ApiRequest("POST", "/v1/products", Map.of(), params, req.headers(),
        req.account(), req.requestId());
    return create(account, dev.sluice.stripe.catalog.StripeCatalog.require("products"), inner)
        .getString("id");
  }

  // ------------------------------------------------------------------ applying form values

  /**
   * Applies form parameters to an object, typed by the fixture.
   *
   * @param hint the fixture value at the same place, for types; may be null
   */
  static DataRecord apply(DataRecord object, Map<String, Object> params, DataRecord hint,
      String prefix) {
    DataRecord.Builder b = object.toBuilder();
    for (Map.Entry<String, Object> e : params.entrySet()) {
      String k = e.getKey();
      if (k.equals("expand") && prefix.isEmpty()) {
        continue;
      }
      String param = prefix.isEmpty() ? k : prefix + "[" + k + "]";
      if (k.equals("metadata")) {
        if (b.has("metadata")) {
          b.put("metadata", metadata(object.getRecord("metadata"), e.getValue()));
        }
        continue;
      }
      if (!b.has(k)) {
        if (!prefix.isEmpty() && hint != null && !hint.isEmpty()) {
          throw ApiError.unknownParameter(param);
        }
        if (!prefix.isEmpty()) {
          b.put(k, e.getValue() instanceof String && !"".equals(e.getValue()) ? e.getValue()
              : e.getValue() instanceof String ? null : toJson(e.getValue()));
        }
        continue; // a parameter that is not a field: accepted, not stored
      }
      Object fixtureValue = hint == null ? null : hint.get(k);
      b.put(k, convert(e.getValue(), object.get(k), fixtureValue, param));
    }
    return b.build();
  }

  private static Object convert(Object value, Object current, Object hint, String param) {
    if ("".equals(value)) {
      return null;
    }
    Object type = hint != null ? hint : current;
    if (value instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> sub = (Map<String, Object>) value;
      DataRecord base;
      if (current instanceof DataRecord) {
        base = (DataRecord) current;
      } else if (type instanceof DataRecord) {
        base = nulled((DataRecord) type);
      } else if (type == null) {
        base = DataRecord.empty();
      } else {
        throw ApiError.invalid(null, "Invalid " + JsonKind.of(type) + ": " + param, param);
      }
      return apply(base, sub, type instanceof DataRecord ? (DataRecord) type : null, param);
    }
    if (value instanceof List) {
      if (type != null && !(type instanceof List)) {
        throw ApiError.invalid(null, "Invalid " + JsonKind.of(type) + ": " + param, param);
      }
      List<?> hintList = (List<?>) type;
      Object itemHint = hintList == null || hintList.isEmpty() ? null : hintList.get(0);
      List<Object> out = new ArrayList<>();
      int i = 0;
      for (Object item : (List<?>) value) {
        out.add(convert(item, null, itemHint, param + "[" + i++ + "]"));
      }
      return out;
    }
    String s = (String) value;
    if (type instanceof Long || type instanceof java.math.BigInteger) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw ApiError.invalid("parameter_invalid_integer", "Invalid integer: " + s, param);
      }
    }
    if (type instanceof Boolean) {
      if (s.equals("true") || s.equals("false")) {
        return Boolean.parseBoolean(s);
      }
      throw ApiError.invalid(null, "Invalid boolean: " + s, param);
    }
    if (type instanceof BigDecimal) {
      try {
        return new BigDecimal(s);
      } catch (NumberFormatException e) {
        throw ApiError.invalid(null, "Invalid decimal: " + s, param);
      }
    }
    if (type instanceof DataRecord) {
      // a string where an object is expected: an id of an expandable object is fine
      return s;
    }
    return s;
  }

  /** The fixture's shape with every leaf null, for a nested object set for the first time. */
  private static DataRecord nulled(DataRecord shape) {
    DataRecord.Builder b = DataRecord.builder();
    for (Map.Entry<String, Object> e : shape.asMap().entrySet()) {
      b.put(e.getKey(), e.getValue() instanceof DataRecord ? nulled((DataRecord) e.getValue()) : null);
    }
    return b.build();
  }

  private static Object toJson(Object formValue) {
    if (formValue instanceof Map) {
      DataRecord.Builder b = DataRecord.builder();
      ((Map<?, ?>) formValue).forEach((k, v) -> b.put(String.valueOf(k), toJson(v)));
      return b.build();
    }
    if (formValue instanceof List) {
      List<Object> out = new ArrayList<>();
      ((List<?>) formValue).forEach(v -> out.add(toJson(v)));
      return out;
    }
    return "".equals(formValue) ? null : formValue;
  }

  private static DataRecord metadata(DataRecord current, Object value) {
    if ("".equals(value)) {
      return DataRecord.empty();
    }
    if (!(value instanceof Map)) {
      throw ApiError.invalid(null, "Invalid object: metadata must be a hash", "metadata");
    }
    DataRecord.Builder b = current == null ? DataRecord.builder() : current.toBuilder();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
      String k = String.valueOf(e.getKey());
      if (k.length() > 40) {
        throw ApiError.invalid(null, "Metadata keys can have at most 40 characters.",
            "metadata[" + k + "]");
      }
      if ("".equals(e.getValue())) {
        b.remove(k);
      } else if (e.getValue() instanceof String) {
        String v = (String) e.getValue();
        if (v.length() > 500) {
          throw ApiError.invalid(null, "Metadata values can have at most 500 characters.",
              "metadata[" + k + "]");
        }
        b.put(k, v);
      } else {
        throw ApiError.invalid(null, "Invalid string: metadata[" + k + "]", "metadata[" + k + "]");
      }
    }
    return b.build();
  }

  /** Top-level fields that changed, with their old values; metadata key by key. */
  static DataRecord previousAttributes(DataRecord before, DataRecord after) {
    DataRecord.Builder prev = DataRecord.builder();
    for (String k : after.keys()) {
      Object old = before.get(k);
      Object now = after.get(k);
      if (k.equals("updated") || java.util.Objects.equals(old, now)) {
        continue;
      }
      if (k.equals("metadata") && old instanceof DataRecord && now instanceof DataRecord) {
        DataRecord.Builder m = DataRecord.builder();
        DataRecord o = (DataRecord) old;
        DataRecord n = (DataRecord) now;
        for (String mk : o.keys()) {
          if (!java.util.Objects.equals(o.get(mk), n.get(mk))) {
            m.put(mk, o.get(mk));
          }
        }
        for (String mk : n.keys()) {
          if (!o.has(mk)) {
            m.put(mk, null);
          }
        }
        prev.put(k, m.build());
      } else {
        prev.put(k, old);
      }
    }
    return prev.build();
  }

  // ------------------------------------------------------------------ events

  /**
   * Records an event of the write in the account's events; {@code req} is null for what Stripe
   * does on its own (its event's {@code request.id} is null).
   */
  public void emit(Account account, ApiRequest req, String type, DataRecord object,
      DataRecord previousAttributes) {
    ResourceStore events = account.store("events");
    synchronized (events.lock()) {
      Key key = events.allocate(backend.now());
      DataRecord.Builder data = DataRecord.builder().put("object", object);
      if (previousAttributes != null) {
        data.put("previous_attributes", previousAttributes);
      }
      String version = req == null ? null : req.header("Stripe-Version");
      DataRecord event = StripeFixtures.get("event").toBuilder()
          .put("api_version", version != null ? version : backend.apiVersion())
          .put("created", key.created())
          .put("data", data.build())
          .put("id", events.idOf(key))
          .put("livemode", false)
          .put("pending_webhooks", 0L)
          .put("request", DataRecord.builder().put("id", req == null ? null : req.requestId())
              .put("idempotency_key", req == null ? null : req.header("Idempotency-Key")).build())
          .put("type", type)
          .build();
      events.insert(key, event);
    }
  }

  // ------------------------------------------------------------------ state transitions

  /**
   * Runs an action: payment intents {@code confirm|capture|cancel}, quotes {@code
   * finalize|accept|cancel}, invoices {@code finalize}, payment methods {@code attach|detach}.
   *
   * @throws ApiError 404 for an unknown action, 400 when the object's state does not allow it
   */
  public DataRecord transition(Account account, StripeResource r, String id, String action,
      ApiRequest req) {
    ResourceStore store = account.store(r.name());
    synchronized (store.lock()) {
      DataRecord before = store.get(id);
      if (before == null) {
        throw ApiError.missing(r.objectType(), id, "id");
      }
      Map<String, Object> params = req.params();
      DataRecord after;
      String event;
      switch (r.name() + "/" + action) {
        case "payment_intents/confirm" -> {
          requireStatus(before, "confirmed", "requires_payment_method", "requires_confirmation",
              "requires_action");
          checkKnown(params, Set.of("payment_method", "return_url", "receipt_email",
              "capture_method", "off_session", "mandate", "payment_method_options",
              "setup_future_usage", "shipping", "error_on_requires_action"));
          DataRecord.Builder b = before.toBuilder();
          if (params.get("payment_method") instanceof String) {
            b.put("payment_method", params.get("payment_method"));
          }
          if (b.get("payment_method") == null) {
            throw ApiError.invalid("payment_intent_unexpected_state",
                "You cannot confirm this PaymentIntent because it's missing a payment method."
                    + " To confirm the PaymentIntent with " + b.get("customer") + ", specify a"
                    + " payment method attached to this customer along with the customer ID.",
                "payment_method");
          }
          if (params.get("capture_method") instanceof String) {
            b.put("capture_method", params.get("capture_method"));
          }
          boolean manual = "manual".equals(b.get("capture_method"));
          String charge = newCharge(account, b.build(), !manual, req);
          b.put("latest_charge", charge).put("next_action", null);
          if (manual) {
            b.put("status", "requires_capture").put("amount_capturable", b.get("amount"));
            event = "payment_intent.amount_capturable_updated";
          } else {
            b.put("status", "succeeded").put("amount_received", b.get("amount"));
            event = "payment_intent.succeeded";
          }
          after = b.build();
        }
        case "payment_intents/capture" -> {
          requireStatus(before, "captured", "requires_capture");
          checkKnown(params, Set.of("amount_to_capture", "application_fee_amount",
              "final_capture", "metadata", "statement_descriptor", "statement_descriptor_suffix"));
          long capturable = before.getLong("amount_capturable");
          long amount = params.containsKey("amount_to_capture")
              ? Lists.integer(params.get("amount_to_capture"), "amount_to_capture") : capturable;
          if (amount > capturable || amount < 0) {
            throw ApiError.invalid("amount_too_large", "The amount to capture (" + amount
                + ") is greater than the amount capturable (" + capturable + ").",
                "amount_to_capture");
          }
          after = before.toBuilder().put("status", "succeeded").put("amount_received", amount)
              .put("amount_capturable", 0L).build();
          event = "payment_intent.succeeded";
        }
        case "payment_intents/cancel" -> {
          requireStatus(before, "canceled", "requires_payment_method", "requires_capture",
              "requires_confirmation", "requires_action", "processing");
          checkKnown(params, Set.of("cancellation_reason"));
          after = before.toBuilder().put("status", "canceled").put("canceled_at", backend.now())
              .put("amount_capturable", 0L)
              .put("cancellation_reason", params.getOrDefault("cancellation_reason",
                  "requested_by_customer"))
              .build();
          event = "payment_intent.canceled";
        }
        case "quotes/finalize" -> {
          requireQuote(before, "finalized", "draft");
          after = Records.setPath(before.toBuilder().put("status", "open").build(),
              "status_transitions.finalized_at", backend.now());
          event = "quote.finalized";
        }
        case "quotes/accept" -> {
          requireQuote(before, "accepted", "open");
          String invoice = newInvoice(account, before, req);
          after = Records.setPath(before.toBuilder().put("status", "accepted")
              .put("invoice", invoice).build(), "status_transitions.accepted_at", backend.now());
          event = "quote.accepted";
        }
        case "quotes/cancel" -> {
          requireQuote(before, "canceled", "draft", "open");
          after = Records.setPath(before.toBuilder().put("status", "canceled").build(),
              "status_transitions.canceled_at", backend.now());
          event = "quote.canceled";
        }
        case "invoices/finalize" -> {
          if (!"draft".equals(before.getString("status"))) {
            throw ApiError.invalid("invoice_not_editable", "This invoice is already finalized,"
                + " you can't re-finalize a non-draft invoice.", null);
          }
          after = Records.setPath(before.toBuilder().put("status", "open")
              .put("number", "INV-" + id.substring(id.length() - 6).toUpperCase(
                  java.util.Locale.ROOT)).build(),
              "status_transitions.finalized_at", backend.now());
          event = "invoice.finalized";
        }
        case "payment_methods/attach" -> {
          checkKnown(params, Set.of("customer"));
          require(params, "customer");
          String customer = String.valueOf(params.get("customer"));
          if (account.store("customers").get(customer) == null) {
            throw ApiError.invalid("resource_missing", "No such customer: '" + customer + "'",
                "customer");
          }
          if (before.get("customer") != null) {
            throw ApiError.invalid(null, "The payment method you provided has already been"
                + " attached to a customer.", null);
          }
          after = before.toBuilder().put("customer", customer).build();
          event = "payment_method.attached";
        }
        case "payment_methods/detach" -> {
          if (before.get("customer") == null) {
            throw ApiError.invalid(null, "The payment method you provided is not attached to a"
                + " customer so detachment is impossible.", null);
          }
          after = before.toBuilder().put("customer", null).build();
          event = "payment_method.detached";
        }
        default -> throw new ApiError(404, "invalid_request_error", null,
            "Unrecognized request URL (POST: " + r.path() + "/" + id + "/" + action + ").", null);
      }
      store.replace(id, after);
      emit(account, req, event, after, previousAttributes(before, after));
      return after;
    }
  }

  private static void requireStatus(DataRecord pi, String verb, String... allowed) {
    String status = pi.getString("status");
    if (!List.of(allowed).contains(status)) {
      throw ApiError.invalid("payment_intent_unexpected_state", "This PaymentIntent's status is "
          + status + ", but must be one of " + String.join(", ", allowed) + " to be " + verb + ".",
          null);
    }
  }

  private static void requireQuote(DataRecord quote, String verb, String... allowed) {
    String status = quote.getString("status");
    if (!List.of(allowed).contains(status)) {
      throw ApiError.invalid(null, "This quote cannot be " + verb + " because its status is "
          + status + "; it must be " + String.join(" or ", allowed) + ".", null);
    }
  }

  private String newCharge(Account account, DataRecord pi, boolean captured, ApiRequest req) {
    ResourceStore charges = account.store("charges");
    synchronized (charges.lock()) {
      Key key = charges.allocate(backend.now());
      String id = charges.idOf(key);
      long amount = pi.getLong("amount");
      DataRecord charge = StripeFixtures.get("charge").toBuilder()
          .put("id", id).put("created", key.created()).put("livemode", false)
          .put("amount", amount).put("amount_captured", captured ? amount : 0L)
          .put("amount_refunded", 0L).put("captured", captured).put("paid", true)
          .put("refunded", false).put("status", "succeeded").put("currency", pi.get("currency"))
          .put("customer", pi.get("customer")).put("payment_intent", pi.get("id"))
          .put("payment_method", pi.get("payment_method")).put("description", pi.get("description"))
          .put("metadata", pi.get("metadata")).put("balance_transaction", null)
          .build();
      charge = Records.setPath(charge, "refunds.url", "/v1/charges/" + id + "/refunds");
      charges.insert(key, charge);
      emit(account, req, "charge.succeeded", charge, null);
      return id;
    }
  }

  private String newInvoice(Account account, DataRecord quote, ApiRequest req) {
    ResourceStore invoices = account.store("invoices");
    synchronized (invoices.lock()) {
      Key key = invoices.allocate(backend.now());
      String id = invoices.idOf(key);
      long total = quote.getLong("amount_total") == null ? 0 : quote.getLong("amount_total");
      DataRecord invoice = StripeFixtures.get("invoice").toBuilder()
          .put("id", id).put("created", key.created()).put("livemode", false)
          .put("customer", quote.get("customer")).put("currency", quote.get("currency"))
          .put("status", "draft").put("amount_due", total).put("amount_paid", 0L)
          .put("amount_remaining", total).put("subtotal", total).put("total", total)
          .put("number", null).put("metadata", DataRecord.empty())
          .put("lines", Lists.envelope("/v1/invoices/" + id + "/lines", List.of(), false))
          .build();
      invoices.insert(key, invoice);
      emit(account, req, "invoice.created", invoice, null);
      return id;
    }
  }

  /** JSON type names for messages. */
  private static final class JsonKind {
    static String of(Object v) {
      return v instanceof DataRecord ? "object" : v instanceof List ? "array"
          : v instanceof Long ? "integer" : v instanceof Boolean ? "boolean" : "string";
    }
  }
}
