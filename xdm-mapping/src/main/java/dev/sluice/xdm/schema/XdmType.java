package dev.sluice.xdm.schema;

import java.math.BigDecimal;

/**
 * The data types of XDM fields, with the JSON Schema each is written as and, for the integer types,
 * the bounds XDM gives them.
 */
public enum XdmType {
  /** Text; may carry a pattern, lengths and an enum. */
  STRING("string", "string", null, null, null),
  /** Any exact number ({@code type: number}). */
  NUMBER("number", "number", null, null, null),
  /** A whole number from -2^53 to 2^53-1, the range XDM allows for {@code long}. */
  LONG("long", "integer", null, -9007199254740992L, 9007199254740991L),
  /** A 32-bit whole number. */
  INTEGER("int", "integer", null, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE),
  /** A 16-bit whole number. */
  SHORT("short", "integer", null, (long) Short.MIN_VALUE, (long) Short.MAX_VALUE),
  /** An 8-bit whole number. */
  BYTE("byte", "integer", null, (long) Byte.MIN_VALUE, (long) Byte.MAX_VALUE),
  /** {@code true} or {@code false}. */
  BOOLEAN("boolean", "boolean", null, null, null),
  /** A calendar date, written {@code yyyy-MM-dd}. */
  DATE("date", "string", "date", null, null),
  /** An instant with its offset, written as ISO-8601 ({@code 2023-03-17T22:02:19Z}). */
  DATE_TIME("date-time", "string", "date-time", null, null),
  /** A URI reference, held as text. */
  URI("uri", "string", "uri-reference", null, null),
  /** An object with named fields. */
  OBJECT("object", "object", null, null, null),
  /** An array of one item type. */
  ARRAY("array", "array", null, null, null),
  /** An object with free keys and values of one type. */
  MAP("map", "object", null, null, null);

  private final String xdmName;
  private final String jsonType;
  private final String format;
  private final Long min;
  private final Long max;

  XdmType(String xdmName, String jsonType, String format, Long min, Long max) {
    this.xdmName = xdmName;
    this.jsonType = jsonType;
    this.format = format;
    this.min = min;
    this.max = max;
  }

  /** The name XDM gives the type in {@code meta:xdmType}, such as {@code "date-time"}. */
  public String xdmName() {
    return xdmName;
  }

  /** The JSON Schema {@code type} the field is written with. */
  public String jsonType() {
    return jsonType;
  }

  /** The JSON Schema {@code format}, or {@code null}. */
  public String format() {
    return format;
  }

  /** Whether the type is one of the whole-number types. */
  public boolean isInteger() {
    return min != null;
  }

  /** The smallest value of an integer type, or {@code null}. */
  public BigDecimal minimum() {
    return min == null ? null : BigDecimal.valueOf(min);
  }

  /** The largest value of an integer type, or {@code null}. */
  public BigDecimal maximum() {
    return max == null ? null : BigDecimal.valueOf(max);
  }

  /** The type of an XDM name ({@code "long"}, {@code "date-time"}, ...), or {@code null}. */
  public static XdmType fromXdmName(String name) {
    for (XdmType t : values()) {
      if (t.xdmName.equals(name)) {
        return t;
      }
    }
    if ("integer".equals(name)) {
      return INTEGER;
    }
    return null;
  }
}
