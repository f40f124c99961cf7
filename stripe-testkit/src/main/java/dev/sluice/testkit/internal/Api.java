package dev.sluice.testkit.internal;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeFixtures;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/** Routes a decoded request to the endpoint that answers it. */
public final class Api {
  private final Backend backend;
  /** Catalog resources, longest name first so {@code checkout/sessions} wins over shorter ones. */
  private final List<StripeResource> resources;

  private final Writes writes;
  private volatile LongSupplier searchLagSeconds = () -> 0L;
  private volatile LongSupplier eventLatenessSeconds = () -> 0L;

  /** An API over a backend's data. */
  public Api(Backend backend) {
    this.backend = backend;
    this.writes = new Writes(backend);
    List<StripeResource> all = new ArrayList<>(StripeCatalog.all());
    all.sort(Comparator.comparingInt((StripeResource r) -> r.name().length()).reversed());
    this.resources = all;
  }

  /** Where the search lag (seconds) is read from at each search. */
  public void searchLag(LongSupplier seconds) {
    this.searchLagSeconds = seconds;
  }

  /** Where the most seconds an event stays invisible after its creation is read from. */
  public void eventLateness(LongSupplier seconds) {
    this.eventLatenessSeconds = seconds;
  }

  /** The data behind this API. */
  public Backend backend() {
    return backend;
  }

  /** Answers one request; errors come back as error envelopes, never as exceptions. */
  public ApiResponse handle(ApiRequest req) {
    try {
      return route(req);
    } catch (ApiError e) {
      return ApiResponse.of(e);
    }
  }

  private ApiResponse route(ApiRequest req) {
    String path = req.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!path.startsWith("/v1/")) {
      throw unrecognized(req);
    }
    String rest = path.substring(4);
    Account account = backend.account(req.account());
    ApiResponse special = special(account, rest, req);
    if (special != null) {
      return special;
    }
    String method = req.method();
    for (StripeResource r : resources) {
      if (rest.equals(r.name())) {
        if (method.equals("GET")) {
          return list(account, r, req);
        }
        if (method.equals("POST")) {
          return expanded(account, writes.create(account, r, req), req);
        }
        throw unrecognized(req);
      }
      if (rest.startsWith(r.name() + "/")) {
        String[] tail = rest.substring(r.name().length() + 1).split("/");
        if (tail.length == 1 && !tail[0].isEmpty()) {
          switch (method) {
            case "GET":
              return retrieve(account, r, tail[0], req);
            case "POST":
              return expanded(account, writes.update(account, r, tail[0], req), req);
            case "DELETE":
              return ApiResponse.ok(writes.delete(account, r, tail[0], req));
            default:
              throw unrecognized(req);
          }
        }
        if (tail.length == 2 && method.equals("POST")) {
          return expanded(account, writes.transition(account, r, tail[0], tail[1], req), req);
        }
      }
    }
    throw unrecognized(req);
  }

  /** Endpoints that are not a catalog resource's list or retrieve; null if none matches. */
  private ApiResponse special(Account account, String rest, ApiRequest req) {
    String[] seg = rest.split("/");
    boolean get = req.method().equals("GET");
    if (get && rest.equals("balance")) {
      // The account's balance: Stripe's example, in the account's mode. Connection checks call it.
      return ApiResponse.ok(StripeFixtures.get("balance").toBuilder()
          .put("livemode", false).build());
    }
    if (get && seg.length == 2 && seg[1].equals("search")) {
      StripeResource r = StripeCatalog.find(seg[0]).orElse(null);
      if (r != null && Search.searchable(r)) {
        long lag = searchLagSeconds.getAsLong();
        return Search.run(account, r, req, lag <= 0 ? Long.MAX_VALUE : backend.now() - lag);
      }
    }
    if (get && seg.length == 3 && seg[0].equals("invoices") && seg[2].equals("lines")) {
      return invoiceLines(account, seg[1], req);
    }
    if (get && seg.length == 3 && seg[0].equals("charges") && seg[2].equals("refunds")) {
      return chargeRefunds(account, seg[1], req);
    }
    if (get && seg.length == 1 && seg[0].equals("subscription_items")) {
      return subscriptionItems(account, req);
    }
    if (get && seg.length == 2 && seg[0].equals("subscription_items")) {
      return subscriptionItem(account, seg[1], req);
    }
    return null;
  }

  private ApiResponse invoiceLines(Account account, String invoiceId, ApiRequest req) {
    ResourceStore invoices = account.store("invoices");
    DataRecord invoice = invoices.get(invoiceId);
    if (invoice == null) {
      throw ApiError.missing("invoice", invoiceId, "invoice");
    }
    List<DataRecord> lines = allLines(account, invoice);
    return ApiResponse.ok(SubLists.page(lines, req.params(), Set.of(),
        "/v1/invoices/" + invoiceId + "/lines", "line_item"));
  }

  /** Every line of an invoice: generated ones are made again, others are what is embedded. */
  static List<DataRecord> allLines(Account account, DataRecord invoice) {
    ResourceStore invoices = account.store("invoices");
    Key key = invoices.keyOf(invoice.getString("id"));
    DataRecord embedded = invoice.getRecord("lines");
    boolean complete = embedded == null || !Boolean.TRUE.equals(embedded.getBoolean("has_more"));
    if (!complete && key != null && key.ordinal() < invoices.shape().count()) {
      return account.dataset().generator().invoiceLines(
          StripeFixtures.get("invoice"), key.ordinal(),
          invoice.getString("id"), invoice.getString("currency"));
    }
    return SubLists.items(embedded);
  }

  /** {@code /v1/charges/{id}/refunds}: the refunds whose {@code charge} is this charge. */
  private ApiResponse chargeRefunds(Account account, String chargeId, ApiRequest req) {
    if (account.store("charges").get(chargeId) == null) {
      throw ApiError.missing("charge", chargeId, "charge");
    }
    Lists.Query q = Lists.parse(req.params(), Set.of(), false);
    q.and(r -> chargeId.equals(r.get("charge")));
    Lists.Page page = Lists.run(account.store("refunds"), q);
    Expander expander = new Expander(account);
    List<String> expand = listExpansions(Expander.paths(req.params()));
    List<DataRecord> data = new ArrayList<>();
    ResourceStore refunds = account.store("refunds");
    page.items().forEach(f -> data.add(expander.expand(refunds.object(f), expand)));
    return ApiResponse.ok(Lists.envelope("/v1/charges/" + chargeId + "/refunds", data,
        page.hasMore()));
  }

  private ApiResponse subscriptionItems(Account account, ApiRequest req) {
    Map<String, Object> params = req.params();
    String subscriptionId = Lists.string(params, "subscription");
    if (subscriptionId == null) {
      throw ApiError.invalid("parameter_missing", "Missing required param: subscription.",
          "subscription");
    }
    DataRecord subscription = account.store("subscriptions").get(subscriptionId);
    if (subscription == null) {
      throw ApiError.missing("subscription", subscriptionId, "subscription");
    }
    return ApiResponse.ok(SubLists.page(SubLists.items(subscription.getRecord("items")), params,
        Set.of("subscription"), "/v1/subscription_items", "subscription_item"));
  }

  private ApiResponse subscriptionItem(Account account, String id, ApiRequest req) {
    long n = account.dataset().ids("subscription_items", "si_").index(id);
    if (n >= 0) {
      String subId = account.store("subscriptions").shape().ids().id(n / 32);
      DataRecord sub = account.store("subscriptions").get(subId);
      if (sub != null) {
        for (DataRecord item : SubLists.items(sub.getRecord("items"))) {
          if (id.equals(item.getString("id"))) {
            return ApiResponse.ok(new Expander(account).expand(item, Expander.paths(req.params())));
          }
        }
      }
    }
    throw ApiError.missing("subscription_item", id, "id");
  }

  private static ApiError unrecognized(ApiRequest req) {
    return new ApiError(404, "invalid_request_error", null,
        "Unrecognized request URL (" + req.method() + ": " + req.path()
            + "). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
        null);
  }

  private ApiResponse list(Account account, StripeResource r, ApiRequest req) {
    Map<String, Object> params = req.params();
    Set<String> allowed = ListFilters.allowed(r.name());
    Lists.Query q = Lists.parse(params, allowed, r.createdFilter());
    ListFilters.apply(r.name(), params, q);
    if (r.name().equals("events")) {
      long now = backend.now();
      Events.restrict(q, params, now);
      long lateness = eventLatenessSeconds.getAsLong();
      if (lateness > 0) {
        q.and(e -> Events.visible(e, now, backend.seed(), lateness));
      }
    }
    List<String> expand = listExpansions(Expander.paths(params));
    ResourceStore store = account.store(r.name());
    Lists.Page page = Lists.run(store, q);
    if (expand.isEmpty()) {
      StringBuilder json = new StringBuilder(page.items().size() * 2048 + 96);
      json.append("{\"object\":\"list\",\"data\":[");
      for (int i = 0; i < page.items().size(); i++) {
        json.append(i == 0 ? "" : ",").append(store.json(page.items().get(i)));
      }
      json.append("],\"has_more\":").append(page.hasMore())
          .append(",\"url\":").append(JsonValues.toJson(r.path())).append('}');
      return ApiResponse.okRaw(json.toString());
    }
    Expander expander = new Expander(account);
    List<DataRecord> data = new ArrayList<>(page.items().size());
    for (ResourceStore.Found f : page.items()) {
      data.add(expander.expand(store.object(f), expand));
    }
    return ApiResponse.ok(Lists.envelope(r.path(), data, page.hasMore()));
  }

  private ApiResponse retrieve(Account account, StripeResource r, String id, ApiRequest req) {
    for (String name : req.params().keySet()) {
      if (!name.equals("expand")) {
        throw ApiError.unknownParameter(name);
      }
    }
    ResourceStore store = account.store(r.name());
    if (r.name().equals("customers") && store.isDeleted(id)) {
      return ApiResponse.ok(Writes.deletedStub(r, id));
    }
    DataRecord object = store.get(id);
    if (object == null || (r.name().equals("events") && (!Events.retained(object, backend.now())
        || !Events.visible(object, backend.now(), backend.seed(), eventLatenessSeconds.getAsLong())))) {
      throw ApiError.missing(r.objectType(), id, "id");
    }
    return ApiResponse.ok(new Expander(account).expand(object, Expander.paths(req.params())));
  }

  private static ApiResponse expanded(Account account, DataRecord object, ApiRequest req) {
    return ApiResponse.ok(new Expander(account).expand(object, Expander.paths(req.params())));
  }

  /** A list's {@code expand[]} paths name fields of its items as {@code data.<field>}. */
  static List<String> listExpansions(List<String> paths) {
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      if (!p.startsWith("data.") || p.length() == 5) {
        throw ApiError.invalid(null, "This property cannot be expanded (" + p + "). You may want"
            + " to try expanding 'data." + p + "' instead.", "expand");
      }
      out.add(p.substring(5));
    }
    return out;
  }
}
