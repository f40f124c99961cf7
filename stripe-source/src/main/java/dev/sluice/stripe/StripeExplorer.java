package dev.sluice.stripe;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.stripe.http.ConnectionCheck;
import dev.sluice.xdm.DataRecord;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Looks around a Stripe account before a flow is built, as the AEP source's explore call does:
 * which resources the key can read, a preview of a few records, and the schema of a resource in
 * the documents' explore format.
 *
 * <pre>{@code
 * StripeExplorer explore = stripe.explore();
 * explore.readableResources();                 // [charges, subscriptions, ...]
 * explore.preview("charges", 5);               // the 5 newest charges
 * DataRecord schema = explore.schema("charges", 100);
 * // {"format":"hierarchical","schema":{"type":"object","properties":{"data":{...}}}}
 * }</pre>
 *
 * <p>The schema follows the explore format: records are wrapped under {@code data}; integers are
 * {@code {"type":"integer","minimum":-9007199254740992,"maximum":9007199254740991}} (the range of
 * the JSON numbers every reader handles exactly); a field seen only as {@code null} is {@code {}};
 * objects list their properties in the order first seen; arrays merge their items. Thread-safe.
 */
public final class StripeExplorer {
  /** The smallest integer of the explore format's integer bounds: -2^53. */
  public static final long MIN_INTEGER = -9_007_199_254_740_992L;
  /** The largest integer of the explore format's integer bounds: 2^53 - 1. */
  public static final long MAX_INTEGER = 9_007_199_254_740_991L;

  private final StripeConnection connection;

  StripeExplorer(StripeConnection connection) {
    this.connection = connection;
  }

  /**
   * The catalog resources this key may list, in catalog order: every one for a secret key; for a
   * restricted key, those that answered a one-object list.
   *
   * @throws StripeException when the key does not work or the API cannot be reached
   */
  public List<String> readableResources() {
    ConnectionCheck check = connection.test();
    if (!check.keyWorks()) {
      throw new StripeAuthenticationException("The API key does not work: " + check.problem(), 401,
          check.requestId(), null, null, null, null);
    }
    List<String> names = new ArrayList<>();
    for (StripeResource resource : StripeCatalog.all()) {
      if (!check.restrictedKey() || check.canRead(resource.name())) {
        names.add(resource.name());
      }
    }
    return names;
  }

  /**
   * The {@code n} newest objects of a resource, whole (embedded lists completed).
   *
   * @throws IllegalArgumentException for an unknown resource or {@code n < 1}
   */
  public List<DataRecord> preview(String resource, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, was " + n);
    }
    StripeResource known = StripeCatalog.require(Objects.requireNonNull(resource, "resource == null"));
    StripeResourceReader reader = StripeReaders.streaming(connection);
    List<DataRecord> out = new ArrayList<>(n);
    String after = null;
    while (out.size() < n) {
      Map<String, String> params = new LinkedHashMap<>(known.listParameters());
      params.put("limit", Integer.toString(Math.min(SourceConnection.PAGE_SIZE, n - out.size())));
      if (after != null) {
        params.put("starting_after", after);
      }
      StripeResourceReader.ListPage page = reader.list(known.path(), params);
      for (DataRecord object : page.data()) {
        out.add(dev.sluice.stripe.internal.SubLists.complete(object, reader).record());
      }
      if (!page.hasMore() || page.data().isEmpty()) {
        break;
      }
      after = page.data().get(page.data().size() - 1).getString("id");
    }
    return out;
  }

  /** The explore-format schema of a resource, inferred from its {@code sampleSize} newest objects. */
  public DataRecord schema(String resource, int sampleSize) {
    return schemaOf(preview(resource, sampleSize));
  }

  /** The explore-format schema of sample records: {@code {"format":"hierarchical","schema":…}}. */
  public static DataRecord schemaOf(List<DataRecord> samples) {
    Node data = new Node();
    for (DataRecord sample : samples) {
      data.add(sample);
    }
    DataRecord root = DataRecord.builder().put("type", "object")
        .put("properties", DataRecord.builder().put("data", data.toSchema()).build()).build();
    return DataRecord.builder().put("format", "hierarchical").put("schema", root).build();
  }

  /** What was seen at one place in the records. */
  private static final class Node {
    String type; // null until a non-null value is seen
    final Map<String, Node> properties = new LinkedHashMap<>();
    Node items;

    void add(Object value) {
      if (value == null) {
        return;
      }
      String seen = typeOf(value);
      if (type == null) {
        type = seen;
      } else if (!type.equals(seen)) {
        type = type.equals("integer") && seen.equals("number") || type.equals("number") && seen.equals("integer")
            ? "number" : type; // a field of mixed kinds keeps the first kind seen
      }
      if (value instanceof DataRecord record && type.equals("object")) {
        for (Map.Entry<String, Object> e : record.asMap().entrySet()) {
          properties.computeIfAbsent(e.getKey(), k -> new Node()).add(e.getValue());
        }
      } else if (value instanceof List<?> list && type.equals("array")) {
        if (items == null) {
          items = new Node();
        }
        for (Object item : list) {
          items.add(item);
        }
      }
    }

    DataRecord toSchema() {
      if (type == null) {
        return DataRecord.empty();
      }
      DataRecord.Builder b = DataRecord.builder().put("type", type);
      switch (type) {
        case "integer" -> b.put("minimum", MIN_INTEGER).put("maximum", MAX_INTEGER);
        case "object" -> {
          DataRecord.Builder props = DataRecord.builder();
          properties.forEach((k, v) -> props.put(k, v.toSchema()));
          b.put("properties", props.build());
        }
        case "array" -> b.put("items", items == null ? DataRecord.empty() : items.toSchema());
        default -> { }
      }
      return b.build();
    }

    private static String typeOf(Object value) {
      if (value instanceof String) {
        return "string";
      } else if (value instanceof Boolean) {
        return "boolean";
      } else if (value instanceof Long || value instanceof BigInteger) {
        return "integer";
      } else if (value instanceof BigDecimal) {
        return "number";
      } else if (value instanceof DataRecord) {
        return "object";
      }
      return "array";
    }
  }
}
