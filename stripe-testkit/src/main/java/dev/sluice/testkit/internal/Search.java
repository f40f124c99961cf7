package dev.sluice.testkit.internal;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.xdm.DataRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code GET /v1/<resource>/search}: a useful subset of Stripe's search query language over a
 * resource's objects.
 *
 * <ul>
 *   <li>{@code field:'value'} matches a string case-insensitively, a number or boolean exactly;
 *       {@code field:null} matches a null or absent field.
 *   <li>{@code field~'val'} matches a substring, case-insensitively (at least 3 characters).
 *   <li>{@code field>N}, {@code <}, {@code >=}, {@code <=} compare numbers.
 *   <li>{@code metadata['key']:'value'}; dotted fields such as {@code
 *       billing_details.address.postal_code}.
 *   <li>{@code -clause} negates; clauses join with {@code AND} or {@code OR} (not both in one
 *       query, as Stripe); at most 10 clauses.
 * </ul>
 *
 * <p>Only each resource's documented query fields are accepted. Results come newest first, {@code
 * limit} 1–100 (default 10), paged with the opaque {@code next_page} token passed back as {@code
 * page}; {@code expand[]=total_count} adds the count. With a {@linkplain FaultState#searchLag
 * search lag}, objects written within it are seen as before that write.
 */
public final class Search {
  /** The parameters a search takes. */
  private static final Set<String> PARAMETERS = Set.of("query", "limit", "page", "expand");

  private Search() {}

  /** Whether a resource has a search endpoint. */
  public static boolean searchable(StripeResource r) {
    return !StripeCatalog.searchFields(r).isEmpty();
  }

  /** Answers a search request. */
  public static ApiResponse run(Account account, StripeResource r, ApiRequest req, long asOf) {
    Map<String, Object> params = req.params();
    for (String name : params.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw ApiError.unknownParameter(name);
      }
    }
    String query = Lists.string(params, "query");
    if (query == null) {
      throw ApiError.invalid("parameter_missing", "Missing required param: query.", "query");
    }
    Predicate<DataRecord> filter = new Parser(query, StripeCatalog.searchFields(r), r.name()).parse();
    int limit = 10;
    if (params.containsKey("limit")) {
      Lists.Query q = Lists.parse(Map.of("limit", params.get("limit")), Set.of(), false);
      limit = q.limit;
    }
    String page = Lists.string(params, "page");
    Key below = page == null ? null : decode(page);
    ResourceStore store = account.store(r.name());
    List<ResourceStore.Found> found = store.searchWalk(below, asOf, limit + 1, filter);
    boolean hasMore = found.size() > limit;
    List<ResourceStore.Found> items = found.subList(0, Math.min(limit, found.size()));
    Expander expander = new Expander(account);
    List<String> expand = new ArrayList<>();
    boolean totalCount = false;
    for (String p : Expander.paths(params)) {
      if (p.equals("total_count")) {
        totalCount = true;
      } else {
        expand.add(p);
      }
    }
    // Checked once for the page, and (as before) only when the page has items to expand.
    List<String> itemPaths = items.isEmpty() ? List.of() : Api.listExpansions(expand);
    List<DataRecord> data = new ArrayList<>(items.size());
    for (ResourceStore.Found f : items) {
      data.add(expander.expand(f.object(), itemPaths));
    }
    DataRecord.Builder out = DataRecord.builder()
        .put("object", "search_result")
        .put("data", data)
        .put("has_more", hasMore)
        .put("next_page", hasMore ? encode(items.get(items.size() - 1).key()) : null)
        .put("url", r.path() + "/search");
    if (totalCount) {
      out.put("total_count", (long) store.searchWalk(null, asOf, Integer.MAX_VALUE, filter).size());
    }
    return ApiResponse.ok(out.build());
  }

  private static String encode(Key key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        (key.created() + ":" + key.ordinal()).getBytes(StandardCharsets.UTF_8));
  }

  private static Key decode(String page) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(page), StandardCharsets.UTF_8)
          .split(":");
      return new Key(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (RuntimeException e) {
      throw ApiError.invalid(null, "Invalid page: '" + page + "' is not a next_page token.",
          "page");
    }
  }

  /** Parses a query into a predicate, or throws a 400 naming where it went wrong. */
  private static final class Parser {
    private final String text;
    private final Set<String> fields;
    private final String resource;
    private int pos;

    Parser(String text, Set<String> fields, String resource) {
      this.text = text;
      this.fields = fields;
      this.resource = resource;
    }

    Predicate<DataRecord> parse() {
      List<Predicate<DataRecord>> clauses = new ArrayList<>();
      String joiner = null;
      clauses.add(clause());
      while (true) {
        skipSpace();
        if (pos >= text.length()) {
          break;
        }
        String word = word();
        if (!word.equals("AND") && !word.equals("OR")) {
          throw error("expected AND or OR");
        }
        if (joiner != null && !joiner.equals(word)) {
          throw ApiError.invalid(null, "Invalid query: you cannot combine AND and OR in one"
              + " query.", "query");
        }
        joiner = word;
        clauses.add(clause());
      }
      if (clauses.size() > 10) {
        throw ApiError.invalid(null, "Invalid query: at most 10 clauses are allowed.", "query");
      }
      boolean any = "OR".equals(joiner);
      return r -> {
        for (Predicate<DataRecord> c : clauses) {
          if (c.test(r) == any) {
            return any;
          }
        }
        return !any;
      };
    }

    private String word() {
      int start = pos;
      while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
        pos++;
      }
      return text.substring(start, pos);
    }

    private Predicate<DataRecord> clause() {
      skipSpace();
      boolean negate = false;
      if (pos < text.length() && text.charAt(pos) == '-') {
        negate = true;
        pos++;
      }
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos)) || "_.".indexOf(text.charAt(pos)) >= 0)) {
        pos++;
      }
      String field = text.substring(start, pos);
      if (field.isEmpty()) {
        throw error("expected a field name");
      }
      String path = field;
      String root = field;
      if (field.equals("metadata")) {
        if (pos >= text.length() || text.charAt(pos) != '[') {
          throw error("expected ['key'] after metadata");
        }
        pos++;
        String key = quoted();
        if (pos >= text.length() || text.charAt(pos) != ']') {
          throw error("expected ]");
        }
        pos++;
        path = null;
        root = "metadata";
        final String metaKey = key;
        return finish(negate, root, r -> {
          DataRecord m = r.getRecord("metadata");
          return m == null || !m.has(metaKey) ? Missing.ABSENT : m.get(metaKey);
        });
      }
      if (!fields.contains(root)) {
        throw ApiError.invalid(null, "Field '" + field + "' is an unsupported search field for"
            + " resource '" + resource + "'. See https://stripe.com/docs/search#query-fields-for-"
            + resource.replace('_', '-') + " for a list of supported fields.", "query");
      }
      final String p = path;
      return finish(negate, root, r -> r.hasPath(p) ? r.getPath(p) : Missing.ABSENT);
    }

    private enum Missing { ABSENT }

    private Predicate<DataRecord> finish(boolean negate, String field,
        java.util.function.Function<DataRecord, Object> getter) {
      String op;
      if (text.startsWith(">=", pos) || text.startsWith("<=", pos)) {
        op = text.substring(pos, pos + 2);
        pos += 2;
      } else if (pos < text.length() && ":~<>".indexOf(text.charAt(pos)) >= 0) {
        op = String.valueOf(text.charAt(pos));
        pos++;
      } else {
        throw error("expected one of : ~ > < >= <= after " + field);
      }
      Object value;
      if (pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"')) {
        value = quoted();
      } else {
        int start = pos;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
          pos++;
        }
        String bare = text.substring(start, pos);
        if (bare.isEmpty()) {
          throw error("expected a value");
        }
        if (bare.equals("null")) {
          value = null;
        } else {
          try {
            value = new BigDecimal(bare);
          } catch (NumberFormatException e) {
            value = bare;
          }
        }
      }
      Predicate<DataRecord> test = test(op, value, getter, field);
      return negate ? test.negate() : test;
    }

    private Predicate<DataRecord> test(String op, Object value,
        java.util.function.Function<DataRecord, Object> getter, String field) {
      if (value == null) {
        if (!op.equals(":")) {
          throw error("null only goes with :");
        }
        return r -> {
          Object v = getter.apply(r);
          return v == null || v == Missing.ABSENT;
        };
      }
      switch (op) {
        case ":" -> {
          return r -> equal(getter.apply(r), value);
        }
        case "~" -> {
          String s = value.toString().toLowerCase(Locale.ROOT);
          if (s.length() < 3) {
            throw ApiError.invalid(null, "Invalid query: a substring search (~) on " + field
                + " needs at least 3 characters.", "query");
          }
          return r -> {
            Object v = getter.apply(r);
            return v instanceof String && ((String) v).toLowerCase(Locale.ROOT).contains(s);
          };
        }
        default -> {
          BigDecimal n = number(value);
          if (n == null) {
            throw ApiError.invalid(null, "Invalid query: " + field + op + " needs a number.",
                "query");
          }
          return r -> {
            BigDecimal v = number(getter.apply(r));
            if (v == null) {
              return false;
            }
            int c = v.compareTo(n);
            return switch (op) {
              case ">" -> c > 0;
              case "<" -> c < 0;
              case ">=" -> c >= 0;
              default -> c <= 0;
            };
          };
        }
      }
    }

    private static boolean equal(Object actual, Object wanted) {
      if (actual == null || actual == Missing.ABSENT || actual instanceof DataRecord
          || actual instanceof List) {
        return false;
      }
      if (actual instanceof Number) {
        BigDecimal w = number(wanted);
        return w != null && number(actual).compareTo(w) == 0;
      }
      return actual.toString().equalsIgnoreCase(wanted.toString());
    }

    private static BigDecimal number(Object v) {
      if (v instanceof BigDecimal) {
        return (BigDecimal) v;
      }
      if (v instanceof Number) {
        return new BigDecimal(v.toString());
      }
      if (v instanceof String) {
        try {
          return new BigDecimal((String) v);
        } catch (NumberFormatException e) {
          return null;
        }
      }
      return null;
    }

    private String quoted() {
      if (pos >= text.length() || (text.charAt(pos) != '\'' && text.charAt(pos) != '"')) {
        throw error("expected a quoted value");
      }
      char quote = text.charAt(pos++);
      StringBuilder sb = new StringBuilder();
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == '\\' && pos < text.length()) {
          sb.append(text.charAt(pos++));
        } else if (c == quote) {
          return sb.toString();
        } else {
          sb.append(c);
        }
      }
      throw error("unterminated quoted value");
    }

    private void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private ApiError error(String what) {
      return ApiError.invalid(null, "Invalid query: " + what + " at position " + pos + " of '"
          + text + "'.", "query");
    }
  }
}
