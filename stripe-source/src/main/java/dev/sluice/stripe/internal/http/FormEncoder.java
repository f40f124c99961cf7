package dev.sluice.stripe.internal.http;

import dev.sluice.xdm.DataRecord;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Stripe's form encoding: nested maps as {@code a[b]=v}, lists as {@code items[0][price]=p}, and
 * an empty value ({@code ""}, {@code null}, an empty map or list) sent as {@code key=}, which
 * clears the field.
 *
 * <p>Numbers keep their exact value: a whole {@code double} such as {@code 1500.0} is written
 * {@code 1500}; {@link BigDecimal}s without trailing zeros. An {@link Instant} is written as unix
 * seconds, like Stripe's timestamps.
 */
public final class FormEncoder {
  private FormEncoder() {}

  /** The flat list of parameters, in the order given. */
  public static List<Map.Entry<String, String>> flatten(Map<String, ?> params) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (params != null) {
      for (Map.Entry<String, ?> e : params.entrySet()) {
        if (e.getKey() == null || e.getKey().isEmpty()) {
          throw new IllegalArgumentException("A form parameter has no name");
        }
        add(out, e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** The flat list of a record's fields. */
  public static List<Map.Entry<String, String>> flatten(DataRecord params) {
    return flatten(params == null ? null : params.asMap());
  }

  /** {@code application/x-www-form-urlencoded} text, brackets left readable as Stripe's own clients do. */
  public static String encode(List<Map.Entry<String, String>> flat) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : flat) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(escape(e.getKey()).replace("%5B", "[").replace("%5D", "]"))
          .append('=')
          .append(escape(e.getValue()));
    }
    return out.toString();
  }

  private static String escape(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void add(List<Map.Entry<String, String>> out, String key, Object value) {
    if (value instanceof DataRecord r) {
      value = r.asMap();
    }
    if (value instanceof Object[] array) {
      value = List.of(array);
    }
    if (value == null) {
      out.add(new SimpleImmutableEntry<>(key, ""));
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.add(new SimpleImmutableEntry<>(key, ""));
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        add(out, key + "[" + e.getKey() + "]", e.getValue());
      }
    } else if (value instanceof Collection<?> list) {
      if (list.isEmpty()) {
        out.add(new SimpleImmutableEntry<>(key, ""));
      }
      int i = 0;
      for (Object item : list) {
        add(out, key + "[" + i++ + "]", item);
      }
    } else {
      out.add(new SimpleImmutableEntry<>(key, scalar(key, value)));
    }
  }

  private static String scalar(String key, Object value) {
    if (value instanceof String || value instanceof Boolean || value instanceof Long
        || value instanceof Integer || value instanceof Short || value instanceof Byte
        || value instanceof java.math.BigInteger || value instanceof CharSequence) {
      return value.toString();
    }
    if (value instanceof BigDecimal d) {
      return plain(d);
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("Form parameter '" + key + "' is not a finite number: " + d);
      }
      return plain(BigDecimal.valueOf(d));
    }
    if (value instanceof Instant t) {
      return String.valueOf(t.getEpochSecond());
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(java.util.Locale.ROOT);
    }
    throw new IllegalArgumentException(
        "Form parameter '" + key + "' has a value of type " + value.getClass().getName()
            + "; use a string, number, boolean, map or list");
  }

  private static String plain(BigDecimal d) {
    String s = d.stripTrailingZeros().toPlainString();
    return s;
  }
}
