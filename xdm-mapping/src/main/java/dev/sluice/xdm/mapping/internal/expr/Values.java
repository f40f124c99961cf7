package dev.sluice.xdm.mapping.internal.expr;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import dev.sluice.xdm.mapping.internal.EvalException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Coercions and arithmetic on expression values, all exact (no {@code double}). */
public final class Values {
  private Values() {}

  /** Describes a value's type for messages. */
  public static String describe(Object v) {
    if (v instanceof ZonedDateTime) {
      return "a date-time";
    }
    return JsonValues.describe(v);
  }

  /** A value as text: strings as they are, numbers and booleans written out; null stays null. */
  public static String str(Object v, String fn, String param) {
    if (v == null || v instanceof String) {
      return (String) v;
    }
    if (v instanceof Boolean || v instanceof Long || v instanceof BigInteger) {
      return v.toString();
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    if (v instanceof ZonedDateTime) {
      return formatDateTime((ZonedDateTime) v);
    }
    throw wrongType(fn, param, "a string", v);
  }

  /** Whether a value is an exact number. */
  public static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof BigInteger || v instanceof BigDecimal;
  }

  /** A value as a number (numeric strings accepted); null stays null. */
  public static Number num(Object v, String fn, String param) {
    if (v == null || isNumber(v)) {
      return (Number) v;
    }
    if (v instanceof String) {
      String s = ((String) v).trim();
      try {
        return normalize(new BigDecimal(s));
      } catch (NumberFormatException e) {
        throw new EvalException(fn + ": " + param + " '" + v + "' is not a number");
      }
    }
    throw wrongType(fn, param, "a number", v);
  }

  /** A value as an int (for counts and positions). */
  public static Integer integer(Object v, String fn, String param) {
    Number n = num(v, fn, param);
    if (n == null) {
      return null;
    }
    try {
      return big(n).intValueExact();
    } catch (ArithmeticException e) {
      throw new EvalException(fn + ": " + param + " " + n + " is not a whole number in int range");
    }
  }

  /** A value as a boolean: booleans, and the strings true/false (any case). */
  public static Boolean bool(Object v, String fn, String param) {
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v instanceof String) {
      String s = ((String) v).trim();
      if (s.equalsIgnoreCase("true")) {
        return true;
      }
      if (s.equalsIgnoreCase("false")) {
        return false;
      }
    }
    throw wrongType(fn, param, "a boolean", v);
  }

  /** A value as a list; null stays null. */
  @SuppressWarnings("unchecked")
  public static List<Object> list(Object v, String fn, String param) {
    if (v == null || v instanceof List) {
      return (List<Object>) v;
    }
    throw wrongType(fn, param, "an array", v);
  }

  /** A value as an object (map); null stays null. */
  public static DataRecord record(Object v, String fn, String param) {
    if (v == null || v instanceof DataRecord) {
      return (DataRecord) v;
    }
    throw wrongType(fn, param, "an object", v);
  }

  /** The error for an argument of the wrong type. */
  public static EvalException wrongType(String fn, String param, String expected, Object v) {
    return new EvalException(fn + ": " + param + " must be " + expected + " but is " + describe(v));
  }

  /** A number as a BigDecimal. */
  public static BigDecimal big(Number n) {
    if (n instanceof BigDecimal) {
      return (BigDecimal) n;
    }
    if (n instanceof BigInteger) {
      return new BigDecimal((BigInteger) n);
    }
    return BigDecimal.valueOf(n.longValue());
  }

  /** The smallest exact form: Long for integers that fit, BigInteger beyond, BigDecimal otherwise. */
  public static Number normalize(BigDecimal d) {
    if (d.signum() == 0) {
      return d.scale() <= 0 ? (Number) 0L : d;
    }
    if (d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0) {
      if (d.scale() > 0) {
        return d; // keep 10.50 as a decimal, as written
      }
      return fromBigInteger(d.toBigIntegerExact());
    }
    return d;
  }

  /** An integer in its smallest exact form: a Long when it fits, else the BigInteger itself. */
  public static Number fromBigInteger(BigInteger i) {
    return i.bitLength() < 64 ? (Number) i.longValue() : i;
  }

  /** Adds exactly. */
  public static Number add(Number a, Number b) {
    if (a instanceof Long && b instanceof Long) {
      long x = a.longValue();
      long y = b.longValue();
      long r = x + y;
      if (((x ^ r) & (y ^ r)) < 0) {
        return BigInteger.valueOf(x).add(BigInteger.valueOf(y));
      }
      return r;
    }
    if (isIntegral(a) && isIntegral(b)) {
      return fromBigInteger(bigInt(a).add(bigInt(b)));
    }
    return big(a).add(big(b));
  }

  /** Subtracts exactly. */
  public static Number subtract(Number a, Number b) {
    if (isIntegral(a) && isIntegral(b)) {
      return fromBigInteger(bigInt(a).subtract(bigInt(b)));
    }
    return big(a).subtract(big(b));
  }

  /** Multiplies exactly. */
  public static Number multiply(Number a, Number b) {
    if (isIntegral(a) && isIntegral(b)) {
      return fromBigInteger(bigInt(a).multiply(bigInt(b)));
    }
    return big(a).multiply(big(b));
  }

  /**
   * Divides: an integer when integers divide evenly, otherwise an exact decimal (34 significant
   * digits when the quotient does not terminate).
   */
  public static Number divide(Number a, Number b, String op) {
    if (big(b).signum() == 0) {
      throw new EvalException(op + ": division by zero");
    }
    if (isIntegral(a) && isIntegral(b)) {
      BigInteger[] qr = bigInt(a).divideAndRemainder(bigInt(b));
      if (qr[1].signum() == 0) {
        return fromBigInteger(qr[0]);
      }
    }
    BigDecimal q;
    try {
      q = big(a).divide(big(b));
    } catch (ArithmeticException e) {
      q = big(a).divide(big(b), MathContext.DECIMAL128);
    }
    return q;
  }

  /** The remainder of an integer division. */
  public static Number mod(Number a, Number b) {
    if (big(b).signum() == 0) {
      throw new EvalException("%: division by zero");
    }
    if (isIntegral(a) && isIntegral(b)) {
      return fromBigInteger(bigInt(a).remainder(bigInt(b)));
    }
    return big(a).remainder(big(b));
  }

  static boolean isIntegral(Number n) {
    return n instanceof Long || n instanceof BigInteger;
  }

  static BigInteger bigInt(Number n) {
    return n instanceof BigInteger ? (BigInteger) n : BigInteger.valueOf(n.longValue());
  }

  /** Compares two numbers numerically. */
  public static int compare(Number a, Number b) {
    if (a instanceof Long && b instanceof Long) {
      return Long.compare(a.longValue(), b.longValue());
    }
    return big(a).compareTo(big(b));
  }

  /** Equality as the {@code ==} operator sees it: numbers by value, others by equals. */
  public static boolean same(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (isNumber(a) && isNumber(b)) {
      return compare((Number) a, (Number) b) == 0;
    }
    if (a instanceof ZonedDateTime && b instanceof ZonedDateTime) {
      return ((ZonedDateTime) a).toInstant().equals(((ZonedDateTime) b).toInstant());
    }
    return a.equals(b);
  }

  private static final DateTimeFormatter DATE_TIME =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .appendPattern("HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .appendOffsetId()
          .toFormatter(Locale.ROOT);

  /**
   * ISO-8601 with seconds and offset, as XDM date-time fields hold: {@code 2023-03-17T22:02:19Z}.
   */
  public static String formatDateTime(ZonedDateTime t) {
    return DATE_TIME.format(t);
  }

  /** Turns an expression value into a JSON value a record can hold (date-times become text). */
  public static Object toJson(Object v) {
    if (v instanceof ZonedDateTime) {
      return formatDateTime((ZonedDateTime) v);
    }
    if (v instanceof List) {
      List<?> in = (List<?>) v;
      boolean changed = false;
      for (Object o : in) {
        if (o instanceof ZonedDateTime || o instanceof List || o instanceof Map) {
          changed = true;
          break;
        }
      }
      if (!changed) {
        return v;
      }
      List<Object> out = new ArrayList<>(in.size());
      for (Object o : in) {
        out.add(toJson(o));
      }
      return Collections.unmodifiableList(out);
    }
    if (v instanceof Map) {
      DataRecord.Builder b = DataRecord.builder();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        b.put(String.valueOf(e.getKey()), toJson(e.getValue()));
      }
      return b.build();
    }
    return v;
  }

  /** Lower-cases with the root locale. */
  public static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
