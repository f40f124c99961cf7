package dev.sluice.stripe.ops.internal;

import com.squareup.moshi.JsonReader;
import dev.sluice.stripe.StripeIdempotencyException;
import dev.sluice.stripe.StripeInvalidRequestException;
import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.stripe.internal.ListPage;
import dev.sluice.stripe.internal.StripeTransport;
import dev.sluice.stripe.ops.ActionResult;
import dev.sluice.stripe.ops.EntityPage;
import dev.sluice.stripe.ops.InvoiceResult;
import dev.sluice.stripe.ops.ListRequest;
import dev.sluice.stripe.ops.ListStrategy;
import dev.sluice.stripe.ops.PaymentIntentResult;
import dev.sluice.stripe.ops.PaymentMethodResult;
import dev.sluice.stripe.ops.QuoteResult;
import dev.sluice.stripe.ops.StripeInvalidStateException;
import dev.sluice.stripe.ops.StripeOperations;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** {@link StripeOperations} over a connection's transport. */
public final class OperationsImpl implements StripeOperations {
  /** Stripe error codes that say the object's state forbids the request. */
  private static final Set<String> STATE_CODES = Set.of("payment_intent_unexpected_state",
      "setup_intent_unexpected_state", "invoice_not_editable", "charge_already_captured",
      "charge_already_refunded", "resource_already_exists", "quote_not_open",
      "invoice_payment_intent_requires_action", "payment_method_unexpected_state");

  private final StripeTransport transport;
  private final String idempotencyKey;
  /** Resource name to the time of this connection's latest write that may change it. */
  private final Map<String, Long> recentWrites;
  private final LongSupplier nanoTime;

  /** Operations over a connection's transport. */
  public OperationsImpl(StripeTransport transport) {
    this(transport, null, new ConcurrentHashMap<>(), System::nanoTime);
  }

  private OperationsImpl(StripeTransport transport, String key, Map<String, Long> recentWrites,
      LongSupplier nanoTime) {
    this.transport = Objects.requireNonNull(transport, "transport == null");
    this.idempotencyKey = key;
    this.recentWrites = recentWrites;
    this.nanoTime = nanoTime;
  }

  @Override
  public StripeOperations withIdempotencyKey(String key) {
    Objects.requireNonNull(key, "idempotencyKey == null");
    if (key.isBlank() || key.length() > 255) {
      throw new IllegalArgumentException("idempotencyKey must be 1 to 255 characters, was " + key.length());
    }
    return new OperationsImpl(transport, key, recentWrites, nanoTime);
  }

  @Override
  public List<String> entities() {
    return Entities.names();
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Stream<DataRecord> list(String entity) {
    return list(entity, null);
  }

  @Override
  public Stream<DataRecord> list(String entity, String filterClause) {
    ListRequest request = ListRequest.builder(entity).filter(filterClause).build();
    // Check the entity and the clause now, not on first read; both serve every page.
    StripeResource r = Entities.resolve(entity);
    Filter filter = request.filter() == null ? null : Filter.parse(request.filter());
    String fingerprint = fingerprint(r, request.filter());
    Iterator<DataRecord> records = new Iterator<>() {
      private Iterator<DataRecord> current = Collections.emptyIterator();
      /** Made when the first page is read, as {@link #page} would make it; null until then. */
      private Planner.Plan plan;
      private Token next;

      @Override
      public boolean hasNext() {
        while (!current.hasNext()) {
          if (plan != null && next == null) {
            return false;
          }
          if (plan == null) {
            plan = plan(r, filter, null);
          }
          Chunk chunk = read(r, filter, plan, request.pageSize(), next, fingerprint);
          next = chunk.next();
          current = chunk.records().iterator();
        }
        return true;
      }

      @Override
      public DataRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(records, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  @Override
  public EntityPage page(ListRequest request) {
    Objects.requireNonNull(request, "request == null");
    StripeResource r = Entities.resolve(request.entity());
    Filter filter = request.filter() == null ? null : Filter.parse(request.filter());
    String fingerprint = fingerprint(r, request.filter());
    Token token = request.pageToken() == null ? null : Token.decode(request.pageToken(), fingerprint);
    Planner.Plan plan = token != null ? replan(r, filter, token.strategy())
        : plan(r, filter, request.strategy());
    Chunk chunk = read(r, filter, plan, request.pageSize(), token, fingerprint);
    return new EntityPage(chunk.records(), chunk.next() == null ? null : chunk.next().encode(),
        plan.strategy());
  }

  private Planner.Plan plan(StripeResource r, Filter filter, ListStrategy wanted) {
    if (wanted == ListStrategy.PAGE_FILTER) {
      return pageFilterPlan(r);
    }
    if (wanted == ListStrategy.SEARCH) {
      return searchPlan(r, filter);
    }
    Planner.ListParams list = Planner.listParams(r, filter);
    boolean ranged = list.params().keySet().stream().anyMatch(k -> k.startsWith("created["));
    if (wanted == ListStrategy.LIST_PARAMETERS) {
      if (!list.narrowed() && !ranged) {
        throw new IllegalArgumentException("No list parameter of " + Entities.connectorName(r)
            + " fits the clause (its list takes " + Entities.listEquals(r)
            + (r.createdFilter() ? " and created" : "") + "); use PAGE_FILTER or let Sluice choose");
      }
      return new Planner.Plan(wanted, list.params(), null);
    }
    // Sluice chooses: a narrowing list parameter, else Search unless it may lag a recent write,
    // else the list (with a created range if the clause gives one).
    if (list.narrowed()) {
      return new Planner.Plan(ListStrategy.LIST_PARAMETERS, list.params(), null);
    }
    String query = Planner.searchQuery(r, filter);
    if (query != null && !recentlyWritten(r)) {
      return new Planner.Plan(ListStrategy.SEARCH, Map.of(), query);
    }
    return new Planner.Plan(ranged ? ListStrategy.LIST_PARAMETERS : ListStrategy.PAGE_FILTER,
        list.params(), null);
  }

  /** The plan {@link ListStrategy#SEARCH} asked for by name: refused where Search cannot serve. */
  private Planner.Plan searchPlan(StripeResource r, Filter filter) {
    String name = Entities.connectorName(r);
    if (Entities.searchFields(r).isEmpty()) {
      throw new IllegalArgumentException(name + " has no Search API; use LIST_PARAMETERS or PAGE_FILTER");
    }
    String query = Planner.searchQuery(r, filter);
    if (query == null) {
      throw new IllegalArgumentException("Search cannot express the clause for " + name
          + " (its query fields: " + Entities.searchFields(r) + ")");
    }
    if (recentlyWritten(r)) {
      throw new IllegalStateException("This connection wrote to " + name + " less than "
          + SEARCH_FRESHNESS.toSeconds() + " s ago and Search may not show it yet; list instead");
    }
    return new Planner.Plan(ListStrategy.SEARCH, Map.of(), query);
  }

  private static Planner.Plan pageFilterPlan(StripeResource r) {
    return new Planner.Plan(ListStrategy.PAGE_FILTER, new LinkedHashMap<>(r.listParameters()), null);
  }

  /** The plan a page token continues: the same strategy, made again from the same clause. */
  private static Planner.Plan replan(StripeResource r, Filter filter, ListStrategy strategy) {
    return switch (strategy) {
      case SEARCH -> new Planner.Plan(strategy, Map.of(), Planner.searchQuery(r, filter));
      case LIST_PARAMETERS -> new Planner.Plan(strategy, Planner.listParams(r, filter).params(), null);
      default -> pageFilterPlan(r);
    };
  }

  private boolean recentlyWritten(StripeResource r) {
    Long at = recentWrites.get(r.name());
    return at != null && nanoTime.getAsLong() - at < SEARCH_FRESHNESS.toNanos();
  }

  /** One page's records and where the listing continues ({@code null}: nothing follows). */
  private record Chunk(List<DataRecord> records, Token next) {}

  /** The page that starts at {@code token} (or the first), read the plan's way. */
  private Chunk read(StripeResource r, Filter filter, Planner.Plan plan, int pageSize, Token token,
      String fingerprint) {
    return plan.strategy() == ListStrategy.SEARCH
        ? searchPage(r, filter, plan, pageSize, token, fingerprint)
        : listPage(r, filter, plan, pageSize, token, fingerprint);
  }

  private Chunk listPage(StripeResource r, Filter filter, Planner.Plan plan, int pageSize,
      Token token, String fingerprint) {
    List<DataRecord> out = new ArrayList<>();
    String after = token == null ? null : token.cursor();
    int limit = filter == null ? pageSize : 100;
    while (true) {
      List<Map.Entry<String, String>> params = new ArrayList<>();
      params.add(new SimpleImmutableEntry<>("limit", String.valueOf(limit)));
      plan.listParams().forEach((k, v) -> params.add(new SimpleImmutableEntry<>(k, v)));
      if (after != null) {
        params.add(new SimpleImmutableEntry<>("starting_after", after));
      }
      ListPage page = transport.get(r.path(), params, ListPage::read).value();
      List<DataRecord> data = page.data();
      for (int i = 0; i < data.size(); i++) {
        DataRecord record = data.get(i);
        after = record.getString("id");
        if (filter == null || filter.test(record)) {
          out.add(record);
          if (out.size() == pageSize) {
            boolean more = i + 1 < data.size() || page.hasMore();
            return new Chunk(out, more ? new Token(plan.strategy(), fingerprint, after, 0) : null);
          }
        }
      }
      if (!page.hasMore() || data.isEmpty()) {
        return new Chunk(out, null);
      }
    }
  }

  private Chunk searchPage(StripeResource r, Filter filter, Planner.Plan plan, int pageSize,
      Token token, String fingerprint) {
    List<DataRecord> out = new ArrayList<>();
    String stripePage = token == null || token.cursor().isEmpty() ? null : token.cursor();
    int skip = token == null ? 0 : token.skip();
    while (true) {
      List<Map.Entry<String, String>> params = new ArrayList<>();
      params.add(new SimpleImmutableEntry<>("query", plan.searchQuery()));
      params.add(new SimpleImmutableEntry<>("limit", "100"));
      if (stripePage != null) {
        params.add(new SimpleImmutableEntry<>("page", stripePage));
      }
      DataRecord page = transport.get(r.path() + "/search", params, OperationsImpl::readRecord).value();
      List<Object> data = page.getList("data");
      boolean hasMore = Boolean.TRUE.equals(page.getBoolean("has_more"));
      String next = page.getString("next_page");
      for (int i = skip; i < data.size(); i++) {
        DataRecord record = (DataRecord) data.get(i);
        if (filter.test(record)) {
          out.add(record);
          if (out.size() == pageSize) {
            Token t = i + 1 < data.size()
                ? new Token(ListStrategy.SEARCH, fingerprint, stripePage == null ? "" : stripePage, i + 1)
                : hasMore && next != null ? new Token(ListStrategy.SEARCH, fingerprint, next, 0) : null;
            return new Chunk(out, t);
          }
        }
      }
      if (!hasMore || next == null) {
        return new Chunk(out, null);
      }
      stripePage = next;
      skip = 0;
    }
  }

  private static String fingerprint(StripeResource r, String filter) {
    return Integer.toHexString((r.name() + "\u0000" + (filter == null ? "" : filter)).hashCode());
  }

  /** Where a listing continues. */
  record Token(ListStrategy strategy, String fingerprint, String cursor, int skip) {
    String encode() {
      String text = "v1|" + strategy.name() + "|" + fingerprint + "|" + cursor + "|" + skip;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Token decode(String token, String fingerprint) {
      String[] parts;
      try {
        parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|", -1);
      } catch (IllegalArgumentException e) {
        parts = new String[0];
      }
      if (parts.length != 5 || !parts[0].equals("v1")) {
        throw new IllegalArgumentException("pageToken is not a token from EntityPage.nextPageToken()");
      }
      if (!parts[2].equals(fingerprint)) {
        throw new IllegalArgumentException("pageToken belongs to a listing of another entity or filter");
      }
      return new Token(ListStrategy.valueOf(parts[1]), parts[2], parts[3], Integer.parseInt(parts[4]));
    }
  }

  @Override
  public DataRecord get(String entity, String id) {
    StripeResource r = Entities.resolve(entity);
    return transport.get(objectPath(r, id), List.of(), OperationsImpl::readRecord).value();
  }

  // ------------------------------------------------------------------ writes

  @Override
  public DataRecord create(String entity, Map<String, ?> fields) {
    StripeResource r = Entities.resolve(entity);
    if (!Entities.creatable(r)) {
      throw refused("create", r);
    }
    Map<String, Object> params = Inputs.params(r, Objects.requireNonNull(fields, "fields == null"));
    return write(r, () -> transport.post(r.path(), params, idempotencyKey, OperationsImpl::readRecord)).value();
  }

  @Override
  public DataRecord update(String entity, String id, Map<String, ?> fields) {
    StripeResource r = Entities.resolve(entity);
    if (!Entities.updatable(r)) {
      throw refused("update", r);
    }
    String path = objectPath(r, id);
    Map<String, Object> params = Inputs.params(r, Objects.requireNonNull(fields, "fields == null"));
    return write(r, () -> transport.post(path, params, idempotencyKey, OperationsImpl::readRecord)).value();
  }

  @Override
  public DataRecord delete(String entity, String id) {
    StripeResource r = Entities.resolve(entity);
    if (!r.deletable()) {
      throw refused("delete", r);
    }
    String path = objectPath(r, id);
    return write(r, () -> transport.delete(path, null, OperationsImpl::readRecord)).value();
  }

  private static UnsupportedOperationException refused(String what, StripeResource r) {
    List<String> can = new ArrayList<>(List.of("list", "get"));
    if (Entities.creatable(r)) {
      can.add("create");
    }
    if (Entities.updatable(r)) {
      can.add("update");
    }
    if (r.deletable()) {
      can.add("delete");
    }
    return new UnsupportedOperationException("Stripe does not " + what + " " + Entities.connectorName(r)
        + " objects through its API; " + Entities.connectorName(r) + " allows " + String.join(", ", can));
  }

  private static String objectPath(StripeResource r, String id) {
    Objects.requireNonNull(id, "id == null");
    if (id.isBlank() || id.contains("/")) {
      throw new IllegalArgumentException(Entities.connectorName(r) + " id '" + id + "' is not an id");
    }
    return r.path() + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Runs a write, noting the time for the read-your-writes rule whether or not it succeeded. */
  private <T> StripeTransport.Result<T> write(StripeResource r, Supplier<StripeTransport.Result<T>> call) {
    try {
      return call.get();
    } finally {
      long now = nanoTime.getAsLong();
      for (String touched : Entities.touchedBy(r)) {
        recentWrites.put(touched, now);
      }
    }
  }

  // ------------------------------------------------------------------ actions

  private StripeTransport.Result<DataRecord> action(String resource, String id, String verb,
      Map<String, Object> params) {
    StripeResource r = StripeCatalog.require(resource);
    String path = objectPath(r, id) + "/" + verb;
    try {
      return write(r, () -> transport.post(path, params, idempotencyKey, OperationsImpl::readRecord));
    } catch (StripeInvalidRequestException e) {
      if (!(e instanceof StripeIdempotencyException) && e.httpStatus() == 400
          && (e.stripeCode() == null ? e.param() == null : STATE_CODES.contains(e.stripeCode()))) {
        throw new StripeInvalidStateException(e);
      }
      throw e;
    }
  }

  private static Map<String, Object> params(Object... kv) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        out.put((String) kv[i], kv[i + 1]);
      }
    }
    return out;
  }

  private static String require(String value, String name) {
    Objects.requireNonNull(value, name + " == null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " is blank");
    }
    return value;
  }

  @Override
  public PaymentIntentResult confirmPaymentIntent(String paymentIntentId, String paymentMethodId, String returnUrl) {
    var result = action("payment_intents", require(paymentIntentId, "paymentIntentId"), "confirm",
        params("payment_method", paymentMethodId, "return_url", returnUrl));
    return new PaymentIntentResult("ConfirmPaymentIntent", result.value(), result.requestId());
  }

  @Override
  public PaymentIntentResult capturePaymentIntent(String paymentIntentId, Long amountToCapture) {
    if (amountToCapture != null && amountToCapture < 0) {
      throw new IllegalArgumentException("amountToCapture is negative: " + amountToCapture);
    }
    var result = action("payment_intents", require(paymentIntentId, "paymentIntentId"), "capture",
        params("amount_to_capture", amountToCapture));
    return new PaymentIntentResult("CapturePaymentIntent", result.value(), result.requestId());
  }

  @Override
  public PaymentIntentResult cancelPaymentIntent(String paymentIntentId, String cancellationReason) {
    var result = action("payment_intents", require(paymentIntentId, "paymentIntentId"), "cancel",
        params("cancellation_reason", cancellationReason));
    return new PaymentIntentResult("CancelPaymentIntent", result.value(), result.requestId());
  }

  @Override
  public PaymentMethodResult attachPaymentMethodToCustomer(String paymentMethodId, String customerId) {
    var result = action("payment_methods", require(paymentMethodId, "paymentMethodId"), "attach",
        params("customer", require(customerId, "customerId")));
    return new PaymentMethodResult("AttachPaymentMethodToCustomer", result.value(), result.requestId());
  }

  @Override
  public PaymentMethodResult detachPaymentMethodFromCustomer(String paymentMethodId) {
    var result = action("payment_methods", require(paymentMethodId, "paymentMethodId"), "detach", Map.of());
    return new PaymentMethodResult("DetachPaymentMethodFromCustomer", result.value(), result.requestId());
  }

  @Override
  public InvoiceResult finalizeInvoice(String invoiceId) {
    var result = action("invoices", require(invoiceId, "invoiceId"), "finalize", Map.of());
    return new InvoiceResult("FinalizeInvoice", result.value(), result.requestId());
  }

  @Override
  public QuoteResult finalizeQuote(String quoteId) {
    var result = action("quotes", require(quoteId, "quoteId"), "finalize", Map.of());
    return new QuoteResult("FinalizeQuote", result.value(), result.requestId());
  }

  @Override
  public QuoteResult acceptQuote(String quoteId) {
    var result = action("quotes", require(quoteId, "quoteId"), "accept", Map.of());
    return new QuoteResult("AcceptQuote", result.value(), result.requestId());
  }

  @Override
  public QuoteResult cancelQuote(String quoteId) {
    var result = action("quotes", require(quoteId, "quoteId"), "cancel", Map.of());
    return new QuoteResult("CancelQuote", result.value(), result.requestId());
  }

  /** Each action's inputs, by normalised name, and the input names it takes. */
  private static final Map<String, List<String>> ACTION_INPUTS = Map.of(
      "confirmpaymentintent", List.of("PaymentIntentId", "PaymentMethodId", "ReturnUrl"),
      "capturepaymentintent", List.of("PaymentIntentId", "AmountToCapture"),
      "cancelpaymentintent", List.of("PaymentIntentId", "CancellationReason"),
      "attachpaymentmethodtocustomer", List.of("PaymentMethodId", "CustomerId"),
      "detachpaymentmethodfromcustomer", List.of("PaymentMethodId"),
      "finalizeinvoice", List.of("InvoiceId"),
      "finalizequote", List.of("QuoteId"),
      "acceptquote", List.of("QuoteId"),
      "cancelquote", List.of("QuoteId"));

  /** Other names inputs go by. */
  private static final Map<String, String> ALIASES = Map.of(
      "paymentmethod", "paymentmethodid", "amount", "amounttocapture", "reason", "cancellationreason");

  @Override
  public ActionResult execute(String action, Map<String, ?> inputs) {
    Objects.requireNonNull(action, "action == null");
    Objects.requireNonNull(inputs, "inputs == null");
    String name = norm(action);
    List<String> takes = ACTION_INPUTS.get(name);
    if (takes == null) {
      throw new IllegalArgumentException("Unknown action '" + action + "'; actions: ConfirmPaymentIntent,"
          + " CapturePaymentIntent, CancelPaymentIntent, AttachPaymentMethodToCustomer,"
          + " DetachPaymentMethodFromCustomer, FinalizeInvoice, FinalizeQuote, AcceptQuote, CancelQuote");
    }
    Map<String, Object> in = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, ?> e : inputs.entrySet()) {
      String key = norm(e.getKey());
      String input = ALIASES.getOrDefault(key, key);
      if (takes.stream().map(OperationsImpl::norm).noneMatch(input::equals)) {
        unknown.add(e.getKey());
      } else {
        in.put(input, e.getValue());
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(action + " does not take " + String.join(", ", unknown)
          + "; it takes " + String.join(", ", takes));
    }
    // The first input names the object the action is on; the others may be left out.
    String target = takes.get(0);
    if (in.get(norm(target)) == null) {
      throw new IllegalArgumentException(action + " needs " + target);
    }
    return switch (name) {
      case "confirmpaymentintent" -> confirmPaymentIntent(text(in, "paymentintentid"),
          text(in, "paymentmethodid"), text(in, "returnurl"));
      case "capturepaymentintent" -> capturePaymentIntent(text(in, "paymentintentid"), amount(in.get("amounttocapture")));
      case "cancelpaymentintent" -> cancelPaymentIntent(text(in, "paymentintentid"), text(in, "cancellationreason"));
      case "attachpaymentmethodtocustomer" -> attachPaymentMethodToCustomer(text(in, "paymentmethodid"),
          Objects.requireNonNull(text(in, "customerid"), action + " needs CustomerId"));
      case "detachpaymentmethodfromcustomer" -> detachPaymentMethodFromCustomer(text(in, "paymentmethodid"));
      case "finalizeinvoice" -> finalizeInvoice(text(in, "invoiceid"));
      case "finalizequote" -> finalizeQuote(text(in, "quoteid"));
      case "acceptquote" -> acceptQuote(text(in, "quoteid"));
      default -> cancelQuote(text(in, "quoteid"));
    };
  }

  private static String norm(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[_\\s-]", "");
  }

  private static String text(Map<String, Object> in, String key) {
    Object v = in.get(key);
    return v == null ? null : v.toString();
  }

  private static Long amount(Object v) {
    if (v == null) {
      return null;
    }
    Map<String, Object> converted = Inputs.params(StripeCatalog.require("payment_intents"), Map.of("amount", v));
    Object n = converted.get("amount");
    if (n instanceof Long l) {
      return l;
    }
    throw new IllegalArgumentException("AmountToCapture must be a whole number, was " + v);
  }

  static DataRecord readRecord(okio.BufferedSource body) throws java.io.IOException {
    return JsonValues.readRecord(JsonReader.of(body));
  }
}
