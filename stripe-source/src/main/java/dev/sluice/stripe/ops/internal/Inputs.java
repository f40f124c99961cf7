package dev.sluice.stripe.ops.internal;

import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.xdm.DataRecord;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns inputs in the connector's style ({@code {"PaymentMethod": "pm_1", "Amount": 1500.0}})
 * or Stripe's into Stripe's form parameters ({@code payment_method=pm_1&amount=1500}), refusing
 * unknown fields and amounts that are not whole numbers.
 */
public final class Inputs {
  private Inputs() {}

  /** {@code PaymentMethod}, {@code paymentMethod} and {@code payment_method} all give {@code payment_method}. */
  public static String snake(String name) {
    StringBuilder sb = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean afterLower = i > 0 && (Character.isLowerCase(name.charAt(i - 1))
            || Character.isDigit(name.charAt(i - 1)));
        boolean endsRun = i > 0 && Character.isUpperCase(name.charAt(i - 1))
            && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        if ((afterLower || endsRun) && sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * The form parameters for a create or update of {@code r}.
   *
   * @throws IllegalArgumentException naming every field {@code r} cannot take, a field given
   *     twice, or an amount that is not a whole number
   */
  public static Map<String, Object> params(StripeResource r, Map<String, ?> fields) {
    String entity = Entities.connectorName(r);
    Set<String> writable = Entities.writable(r);
    DataRecord fixture = Entities.fixture(r);
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, String> given = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(entity + " input has a field with no name");
      }
      String name = snake(key);
      if (!writable.contains(name)) {
        unknown.add(key.equals(name) ? "'" + key + "'" : "'" + key + "' (" + name + ")");
        continue;
      }
      String before = given.put(name, key);
      if (before != null) {
        throw new IllegalArgumentException(entity + " input sets " + name + " twice: as '"
            + before + "' and as '" + key + "'");
      }
      out.put(name, value(entity, name, e.getValue(), fixture.get(name), name.equals("metadata")));
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(entity + " has no writable field " + String.join(", ", unknown)
          + "; writable fields: " + String.join(", ", writable));
    }
    return out;
  }

  private static Object value(String entity, String path, Object value, Object hint, boolean verbatimKeys) {
    if (value == null) {
      return null;
    }
    if (value instanceof DataRecord r) {
      value = r.asMap();
    }
    if (value instanceof Object[] array) {
      value = List.of(array);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      DataRecord nestedHint = hint instanceof DataRecord h ? h : null;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        String name = verbatimKeys ? key : snake(key);
        out.put(name, value(entity, path + "." + name, e.getValue(),
            nestedHint == null ? null : nestedHint.get(name), false));
      }
      return out;
    }
    if (value instanceof Collection<?> list) {
      Object itemHint = hint instanceof List<?> h && !h.isEmpty() ? h.get(0) : null;
      List<Object> out = new ArrayList<>();
      int i = 0;
      for (Object item : list) {
        out.add(value(entity, path + "[" + i++ + "]", item, itemHint, false));
      }
      return out;
    }
    String leaf = path.substring(path.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
    boolean whole = hint instanceof Long || hint instanceof BigInteger || amountName(leaf);
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException(entity + " " + path + " is not a finite number: " + d);
      }
      value = new BigDecimal(Double.toString(d));
    }
    if (hint instanceof Long && value instanceof String s && !s.isEmpty()) {
      try {
        value = new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(entity + " " + path + " must be a whole number, was '"
            + s + "'");
      }
    }
    if (value instanceof BigDecimal d) {
      if (!whole) {
        return d;
      }
      if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
        throw new IllegalArgumentException(entity + " " + path + " must be a whole number"
            + (amountName(leaf) ? " of the currency's smallest unit (1500 is 15.00 usd)" : "")
            + ", was " + d.toPlainString());
      }
      BigInteger n = d.toBigInteger();
      return n.bitLength() < 64 ? (Object) n.longValue() : n;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }
    throw new IllegalArgumentException(entity + " " + path + " has a value of type "
        + value.getClass().getName() + "; use text, a number, a boolean, a map or a list");
  }

  /** {@code amount}, {@code unit_amount}, {@code amount_to_capture}; not {@code unit_amount_decimal}. */
  static boolean amountName(String name) {
    if (name.endsWith("_decimal")) {
      return false;
    }
    return name.equals("amount") || name.startsWith("amount_") || name.endsWith("_amount")
        || name.contains("_amount_");
  }
}
