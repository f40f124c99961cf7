package dev.sluice.testkit.internal;

import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Stripe's list semantics over a {@link ResourceStore}: {@code limit}, {@code starting_after},
 * {@code ending_before}, {@code created} filters and the list envelope.
 */
public final class Lists {
  private Lists() {}

  /** The parameters every list takes. */
  static final Set<String> COMMON = Set.of("limit", "starting_after", "ending_before", "expand");

  /** One list request's cursor, bounds and filters, checked. */
  public static final class Query {
    int limit = 10;
    String startingAfter;
    String endingBefore;
    Key below;
    Key atOrAbove;
    /** Null when nothing filters, so objects need not be made to be tested. */
    Predicate<DataRecord> filter;

    /** Narrows the filter. */
    public Query and(Predicate<DataRecord> more) {
      Predicate<DataRecord> before = filter;
      filter = before == null ? more : r -> before.test(r) && more.test(r);
      return this;
    }
  }

  /**
   * Reads and checks the list parameters.
   *
   * @param allowed the parameters this list takes besides {@link #COMMON} (and created)
   * @param createdFilter whether {@code created} is allowed
   * @throws ApiError on an unknown or malformed parameter
   */
  public static Query parse(Map<String, Object> params, Set<String> allowed, boolean createdFilter) {
    for (String name : params.keySet()) {
      if (!COMMON.contains(name) && !allowed.contains(name)
          && !(createdFilter && name.equals("created"))) {
        throw ApiError.unknownParameter(name);
      }
    }
    Query q = new Query();
    Object limit = params.get("limit");
    if (limit != null) {
      q.limit = limitOf(limit);
    }
    q.startingAfter = string(params, "starting_after");
    q.endingBefore = string(params, "ending_before");
    if (q.startingAfter != null && q.endingBefore != null) {
      throw ApiError.invalid(null,
          "You may only specify one of these parameters: ending_before, starting_after.",
          "ending_before");
    }
    if (createdFilter && params.containsKey("created")) {
      created(q, params.get("created"));
    }
    return q;
  }

  private static int limitOf(Object value) {
    if (!(value instanceof String)) {
      throw ApiError.invalid("parameter_invalid_integer", "Invalid integer: limit", "limit");
    }
    long n;
    try {
      n = Long.parseLong((String) value);
    } catch (NumberFormatException e) {
      throw ApiError.invalid("parameter_invalid_integer", "Invalid integer: " + value, "limit");
    }
    if (n < 1 || n > 100) {
      throw ApiError.invalid(null,
          "Invalid limit: must be between 1 and 100 (got " + n + ")", "limit");
    }
    return (int) n;
  }

  static String string(Map<String, Object> params, String name) {
    Object v = params.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String)) {
      throw ApiError.invalid(null, "Invalid string: " + name + " must be a string", name);
    }
    String s = (String) v;
    if (s.isEmpty()) {
      throw ApiError.invalid("parameter_invalid_empty",
          "You passed an empty string for '" + name + "'. We assume empty values are an attempt"
              + " to unset a parameter; however '" + name + "' cannot be unset.", name);
    }
    return s;
  }

  /** A whole number of seconds, or a 400 naming the parameter. */
  static long integer(Object value, String param) {
    if (value instanceof String) {
      try {
        return Long.parseLong((String) value);
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw ApiError.invalid("parameter_invalid_integer", "Invalid integer: " + value, param);
  }

  /** Applies {@code created=N} or {@code created[gt|gte|lt|lte]=N}. */
  private static void created(Query q, Object value) {
    long lo = Long.MIN_VALUE;
    long hi = Long.MAX_VALUE; // inclusive seconds
    if (value instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        String op = (String) e.getKey();
        long t = integer(e.getValue(), "created[" + op + "]");
        switch (op) {
          case "gt" -> lo = Math.max(lo, t == Long.MAX_VALUE ? t : t + 1);
          case "gte" -> lo = Math.max(lo, t);
          case "lt" -> hi = Math.min(hi, t == Long.MIN_VALUE ? t : t - 1);
          case "lte" -> hi = Math.min(hi, t);
          default -> throw ApiError.unknownParameter("created[" + op + "]");
        }
      }
    } else {
      long t = integer(value, "created");
      lo = t;
      hi = t;
    }
    q.atOrAbove = lo == Long.MIN_VALUE ? null : Key.lowest(lo);
    q.below = hi == Long.MAX_VALUE ? null : Key.lowest(hi + 1);
    if (lo > hi) {
      q.atOrAbove = Key.lowest(0);
      q.below = Key.lowest(0);
    }
  }

  /** One page of a list. */
  public record Page(List<ResourceStore.Found> items, boolean hasMore) {}

  /**
   * Runs a list query over a store.
   *
   * @throws ApiError if a cursor is not an id of this resource
   */
  public static Page run(ResourceStore store, Query q) {
    Key below = q.below;
    Key atOrAbove = q.atOrAbove;
    boolean ascending = false;
    if (q.startingAfter != null) {
      Key k = cursor(store, q.startingAfter, "starting_after");
      below = below == null || k.compareTo(below) < 0 ? k : below;
    } else if (q.endingBefore != null) {
      Key k = cursor(store, q.endingBefore, "ending_before");
      Key above = new Key(k.created(), k.ordinal() + 1);
      atOrAbove = atOrAbove == null || above.compareTo(atOrAbove) > 0 ? above : atOrAbove;
      ascending = true;
    }
    List<ResourceStore.Found> found = store.walk(below, atOrAbove, ascending, q.limit + 1, q.filter);
    boolean hasMore = found.size() > q.limit;
    List<ResourceStore.Found> items = new ArrayList<>(found.subList(0, Math.min(q.limit, found.size())));
    if (ascending) {
      Collections.reverse(items);
    }
    return new Page(items, hasMore);
  }

  private static Key cursor(ResourceStore store, String id, String param) {
    Key k = store.keyOf(id);
    if (k == null) {
      throw new ApiError(400, "invalid_request_error", "resource_missing",
          "No such " + store.shape().resource().objectType().replace('.', '_') + ": '" + id + "'",
          param);
    }
    return k;
  }

  /** The list envelope around objects. */
  public static DataRecord envelope(String url, List<DataRecord> data, boolean hasMore) {
    return DataRecord.builder()
        .put("object", "list")
        .put("data", data)
        .put("has_more", hasMore)
        .put("url", url)
        .build();
  }

  /** Every name in a set, plus more. */
  static Set<String> plus(Set<String> base, String... more) {
    Set<String> s = new HashSet<>(base);
    Collections.addAll(s, more);
    return s;
  }
}
