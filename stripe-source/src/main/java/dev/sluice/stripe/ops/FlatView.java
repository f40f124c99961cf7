package dev.sluice.stripe.ops;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flat shape integration connectors answer with: nested fields under dotted names, every
 * value as a string.
 *
 * <pre>{@code
 * FlatView.of(DataRecord.fromJson("{\"id\":\"in_1\",\"lines\":{\"has_more\":false,\"data\":[]},\"due_date\":null}"));
 * // {"id": "in_1", "lines.has_more": "false", "lines.data": null, "due_date": null}
 * }</pre>
 *
 * <p>Numbers are written exactly ({@code 33000}, {@code 12.5}), booleans as {@code "true"} or
 * {@code "false"}, JSON {@code null} as Java {@code null}. An empty object or list becomes {@code
 * null}; a non-empty list becomes its JSON text.
 */
public final class FlatView {
  private FlatView() {}

  /** The record's fields flattened, in the record's order; unmodifiable. */
  public static Map<String, String> of(DataRecord record) {
    Map<String, String> out = new LinkedHashMap<>();
    add(out, "", record);
    return Collections.unmodifiableMap(out);
  }

  /** As {@link #of(DataRecord)}, after a leading {@code "Success": "true"}. */
  static Map<String, String> success(DataRecord record) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("Success", "true");
    if (record != null) {
      add(out, "", record);
    }
    return Collections.unmodifiableMap(out);
  }

  private static void add(Map<String, String> out, String prefix, DataRecord record) {
    for (String key : record.keys()) {
      String name = prefix + key;
      Object value = record.get(key);
      if (value instanceof DataRecord nested && !nested.isEmpty()) {
        add(out, name + ".", nested);
      } else {
        out.put(name, text(value));
      }
    }
  }

  private static String text(Object value) {
    if (value == null || value instanceof DataRecord) {
      return null;
    }
    if (value instanceof List<?> list) {
      return list.isEmpty() ? null : JsonValues.toJson(list);
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return value.toString();
  }
}
