package dev.sluice.stripe.ops.internal;

import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.stripe.ops.ListStrategy;
import dev.sluice.xdm.DataRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Chooses how a filter clause runs: which list parameters narrow the list, or which Search query
 * finds a superset of the clause's records. Every record found is checked against the exact
 * clause afterwards, so each translation only has to find every record the clause matches.
 */
final class Planner {
  private Planner() {}

  /**
   * How to run one listing.
   *
   * @param strategy the strategy
   * @param listParams the list parameters (with the resource's own, such as {@code status=all})
   * @param searchQuery the Search query, for {@link ListStrategy#SEARCH}
   */
  record Plan(ListStrategy strategy, Map<String, String> listParams, String searchQuery) {}

  /** The comparisons that must all hold: the clause itself, or the parts of a top-level AND. */
  private static List<Filter> conjuncts(Filter f) {
    if (f == null) {
      return List.of();
    }
    if (f instanceof Filter.And and) {
      List<Filter> out = new ArrayList<>();
      for (Filter p : and.parts()) {
        out.addAll(conjuncts(p));
      }
      return out;
    }
    return List.of(f);
  }

  /**
   * The list parameters for a clause.
   *
   * @param params the resource's own parameters plus those the clause gives
   * @param narrowed whether the clause set an equality parameter ({@code email}, {@code
   *     customer}, …), not only a {@code created} range
   */
  record ListParams(Map<String, String> params, boolean narrowed) {}

  /** The list parameters equal to the resource's defaults plus those the clause gives. */
  static ListParams listParams(StripeResource r, Filter f) {
    Map<String, String> params = new LinkedHashMap<>(r.listParameters());
    boolean narrowed = false;
    Set<String> equals = Entities.listEquals(r);
    Map<String, BigDecimal> lower = new LinkedHashMap<>();
    Map<String, BigDecimal> upper = new LinkedHashMap<>();
    for (Filter c : conjuncts(f)) {
      if (!(c instanceof Filter.Compare cmp)) {
        continue;
      }
      if (cmp.op() == Filter.Op.EQ && equals.contains(cmp.path()) && cmp.value() != null) {
        String value = Filter.Compare.text(cmp.value());
        if (!value.isEmpty() && (!params.containsKey(cmp.path())
            || r.listParameters().containsKey(cmp.path()))
            && !(cmp.value() instanceof BigDecimal)) {
          params.put(cmp.path(), value);
          narrowed = true;
        }
        continue;
      }
      if (r.createdFilter() && cmp.path().equals("created")) {
        BigDecimal n = Filter.Compare.number(cmp.value());
        if (n == null || n.stripTrailingZeros().scale() > 0) {
          continue;
        }
        switch (cmp.op()) {
          case GT -> lower.merge("gt", n, BigDecimal::max);
          case GE -> lower.merge("gte", n, BigDecimal::max);
          case LT -> upper.merge("lt", n, BigDecimal::min);
          case LE -> upper.merge("lte", n, BigDecimal::min);
          case EQ -> {
            lower.merge("gte", n, BigDecimal::max);
            upper.merge("lte", n, BigDecimal::min);
          }
          default -> { }
        }
      }
    }
    lower.forEach((op, n) -> params.put("created[" + op + "]", n.toBigInteger().toString()));
    upper.forEach((op, n) -> params.put("created[" + op + "]", n.toBigInteger().toString()));
    return new ListParams(params, narrowed);
  }

  /**
   * A Search query whose results include every record the clause matches, or null if there is
   * none (a part Search cannot express inside an OR, nothing searchable in an AND).
   */
  static String searchQuery(StripeResource r, Filter f) {
    Set<String> fields = Entities.searchFields(r);
    if (fields.isEmpty() || f == null) {
      return null;
    }
    DataRecord fixture = Entities.fixture(r);
    if (f instanceof Filter.Or or) {
      List<String> clauses = new ArrayList<>();
      for (Filter p : flattenOr(or)) {
        String s = p instanceof Filter.Compare c ? clause(c, fields, fixture) : null;
        if (s == null) {
          return null;
        }
        clauses.add(s);
      }
      return clauses.size() > 10 ? null : String.join(" OR ", clauses);
    }
    List<String> clauses = new ArrayList<>();
    for (Filter p : conjuncts(f)) {
      String s = p instanceof Filter.Compare c ? clause(c, fields, fixture) : null;
      if (s != null && clauses.size() < 10) {
        clauses.add(s);
      }
    }
    return clauses.isEmpty() ? null : String.join(" AND ", clauses);
  }

  private static List<Filter> flattenOr(Filter.Or or) {
    List<Filter> out = new ArrayList<>();
    for (Filter p : or.parts()) {
      if (p instanceof Filter.Or inner) {
        out.addAll(flattenOr(inner));
      } else {
        out.add(p);
      }
    }
    return out;
  }

  /** One comparison as a Search clause that finds a superset of its matches, or null. */
  private static String clause(Filter.Compare c, Set<String> fields, DataRecord fixture) {
    String path = c.path();
    String field;
    Object hint;
    if (path.startsWith("metadata.") && fields.contains("metadata")) {
      String key = path.substring("metadata.".length());
      field = "metadata['" + escape(key) + "']";
      hint = "";
    } else if (fields.contains(path)) {
      field = path;
      hint = fixture.getPath(path);
    } else {
      return null;
    }
    switch (c.op()) {
      case IS_NULL:
        return field + ":null";
      case IS_NOT_NULL:
        return "-" + field + ":null";
      default:
        break;
    }
    boolean numeric = hint instanceof Long || hint instanceof BigDecimal;
    boolean bool = hint instanceof Boolean;
    BigDecimal n = Filter.Compare.number(c.value());
    switch (c.op()) {
      case EQ:
        if (numeric) {
          return n == null ? null : field + ":" + n.toPlainString();
        }
        if (bool) {
          String b = Filter.Compare.text(c.value()).toLowerCase(Locale.ROOT);
          return b.equals("true") || b.equals("false") ? field + ":'" + b + "'" : null;
        }
        // Search matches text without regard to case: a superset of the exact match.
        return field + ":'" + escape(Filter.Compare.text(c.value())) + "'";
      case NE:
        // Only where Search's match is exact: numbers and booleans, not text.
        if (numeric && n != null) {
          return "-" + field + ":" + n.toPlainString();
        }
        return null;
      default:
        if (!numeric || n == null) {
          return null;
        }
        String op = switch (c.op()) {
          case LT -> "<";
          case LE -> "<=";
          case GT -> ">";
          default -> ">=";
        };
        return field + op + n.toPlainString();
    }
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }
}
