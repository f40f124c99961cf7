package dev.sluice.sink.parquet.internal;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.schema.XdmField;
import dev.sluice.xdm.schema.XdmType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The type of one column (or of the whole row) as the sink writes it: an immutable tree that maps
 * one to one onto a Parquet type, can be inferred from records and widened, and is stored in each
 * file's footer (key {@value #FOOTER_KEY}) so that a later run and the compaction read files back
 * exactly.
 */
public final class Shape {
  /** The footer key holding the data columns' shape as JSON. */
  public static final String FOOTER_KEY = "sluice.shape";

  /** Widest decimal precision Parquet's 16-byte decimals hold. */
  public static final int MAX_PRECISION = 38;

  /** The kinds of shape. */
  public enum Kind {
    /** Only nulls (or empty lists) seen so far; written as an optional string column. */
    UNKNOWN,
    STRING,
    /** Values of mixed types, written as their JSON text. */
    JSON,
    BOOLEAN,
    INT8,
    INT16,
    INT32,
    INT64,
    DECIMAL,
    DOUBLE,
    DATE,
    TIMESTAMP,
    RECORD,
    LIST,
    MAP
  }

  /** The shape of kind {@link Kind#UNKNOWN}. */
  public static final Shape UNKNOWN = new Shape(Kind.UNKNOWN, 0, null, null);
  /** The shape of kind {@link Kind#STRING}. */
  public static final Shape STRING = new Shape(Kind.STRING, 0, null, null);
  /** The shape of kind {@link Kind#JSON}. */
  public static final Shape JSON = new Shape(Kind.JSON, 0, null, null);
  /** The shape of kind {@link Kind#BOOLEAN}. */
  public static final Shape BOOLEAN = new Shape(Kind.BOOLEAN, 0, null, null);
  /** The shape of kind {@link Kind#INT8}. */
  public static final Shape INT8 = new Shape(Kind.INT8, 0, null, null);
  /** The shape of kind {@link Kind#INT16}. */
  public static final Shape INT16 = new Shape(Kind.INT16, 0, null, null);
  /** The shape of kind {@link Kind#INT32}. */
  public static final Shape INT32 = new Shape(Kind.INT32, 0, null, null);
  /** The shape of kind {@link Kind#INT64}. */
  public static final Shape INT64 = new Shape(Kind.INT64, 0, null, null);
  /** The shape of kind {@link Kind#DOUBLE}. */
  public static final Shape DOUBLE = new Shape(Kind.DOUBLE, 0, null, null);
  /** The shape of kind {@link Kind#DATE}. */
  public static final Shape DATE = new Shape(Kind.DATE, 0, null, null);
  /** The shape of kind {@link Kind#TIMESTAMP}. */
  public static final Shape TIMESTAMP = new Shape(Kind.TIMESTAMP, 0, null, null);

  private final Kind kind;
  private final int scale;
  private final Shape element;
  private final Map<String, Shape> fields;
  private final String[] names;
  private final Shape[] children;

  private Shape(Kind kind, int scale, Shape element, Map<String, Shape> fields) {
    this.kind = kind;
    this.scale = scale;
    this.element = element;
    this.fields = fields;
    this.names = fields == null ? new String[0] : fields.keySet().toArray(new String[0]);
    this.children = fields == null ? new Shape[0] : fields.values().toArray(new Shape[0]);
  }

  /** The names of a record's fields, in order (shared: do not modify). */
  String[] names() {
    return names;
  }

  /** The shapes of a record's fields, in the order of {@link #names()} (shared: do not modify). */
  Shape[] children() {
    return children;
  }

  /** A DECIMAL(38, scale). */
  public static Shape decimal(int scale) {
    if (scale < 0 || scale > MAX_PRECISION) {
      throw new IllegalArgumentException("decimal scale " + scale + " is outside 0.." + MAX_PRECISION);
    }
    return new Shape(Kind.DECIMAL, scale, null, null);
  }

  /** A list of items of one shape. */
  public static Shape list(Shape element) {
    return new Shape(Kind.LIST, 0, Objects.requireNonNull(element), null);
  }

  /** A map from string keys to values of one shape. */
  public static Shape map(Shape value) {
    return new Shape(Kind.MAP, 0, Objects.requireNonNull(value), null);
  }

  /** A record with these fields, in order. */
  public static Shape record(Map<String, Shape> fields) {
    return new Shape(Kind.RECORD, 0, null, Collections.unmodifiableMap(new LinkedHashMap<>(fields)));
  }

  /** What kind of shape this is. */
  public Kind kind() {
    return kind;
  }

  /** The scale of a DECIMAL; 0 for the other kinds. */
  public int scale() {
    return scale;
  }

  /** The item shape of a list or the value shape of a map. */
  public Shape element() {
    return element;
  }

  /** The fields of a record, in order. */
  public Map<String, Shape> fields() {
    return fields;
  }

  // ---------------------------------------------------------------- from an XDM schema

  /** The shape of an XDM field. */
  public static Shape of(XdmField field) {
    XdmType type = field.type();
    switch (type) {
      case STRING:
      case URI:
        return STRING;
      case NUMBER:
        return DOUBLE;
      case LONG:
        return INT64;
      case INTEGER:
        return INT32;
      case SHORT:
        return INT16;
      case BYTE:
        return INT8;
      case BOOLEAN:
        return BOOLEAN;
      case DATE:
        return DATE;
      case DATE_TIME:
        return TIMESTAMP;
      case OBJECT: {
        Map<String, Shape> out = new LinkedHashMap<>();
        for (XdmField f : field.fields()) {
          out.put(f.name(), of(f));
        }
        return record(out);
      }
      case ARRAY:
        return list(of(field.items()));
      case MAP:
        return map(of(field.items()));
      default:
        throw new IllegalArgumentException("field '" + field.name() + "' has type " + type
            + ", which the Parquet sink cannot write");
    }
  }

  // ---------------------------------------------------------------- inference

  /** The shape inferred for one value (a field of a raw record). */
  public static Shape infer(String name, Object value) {
    if (value == null) {
      return UNKNOWN;
    }
    if (value instanceof String) {
      return STRING;
    }
    if (value instanceof Boolean) {
      return BOOLEAN;
    }
    if (value instanceof Long) {
      return INT64;
    }
    if (value instanceof BigInteger big) {
      return big.abs().toString().length() <= MAX_PRECISION ? decimal(0) : JSON;
    }
    if (value instanceof BigDecimal dec) {
      return decimalFor(dec);
    }
    if (value instanceof DataRecord rec) {
      if ("metadata".equals(name) && allStrings(rec)) {
        // Stripe's metadata: free keys, string values. A map keeps one column for all keys.
        return map(STRING);
      }
      return inferRecord(rec);
    }
    if (value instanceof List<?> list) {
      Shape item = UNKNOWN;
      for (Object o : list) {
        item = widen(item, infer(null, o));
      }
      return list(item);
    }
    return JSON;
  }

  /** Whether a record fits a record shape as it is (no widening needed); fast, allocates nothing. */
  public static boolean fits(Shape shape, DataRecord rec) {
    if (shape.kind != Kind.RECORD) {
      return false;
    }
    int known = 0;
    for (Map.Entry<String, Shape> e : shape.fields.entrySet()) {
      if (rec.has(e.getKey())) {
        known++;
        if (!fitsValue(e.getValue(), rec.get(e.getKey()))) {
          return false;
        }
      }
    }
    return known == rec.size();
  }

  private static boolean fitsValue(Shape shape, Object v) {
    if (v == null) {
      return true;
    }
    switch (shape.kind) {
      case UNKNOWN:
        return false;
      case STRING:
        return v instanceof String;
      case JSON:
        return true;
      case BOOLEAN:
        return v instanceof Boolean;
      case INT64:
        return v instanceof Long;
      case DECIMAL:
        if (v instanceof Long) {
          return shape.scale + 19 <= MAX_PRECISION;
        }
        if (v instanceof BigInteger || v instanceof BigDecimal) {
          BigDecimal d = v instanceof BigInteger b ? new BigDecimal(b) : (BigDecimal) v;
          return d.scale() <= shape.scale && d.precision() - d.scale() + shape.scale <= MAX_PRECISION;
        }
        return false;
      case RECORD:
        return v instanceof DataRecord r && fits(shape, r);
      case LIST:
        if (!(v instanceof List<?> list)) {
          return false;
        }
        for (Object o : list) {
          if (!fitsValue(shape.element, o)) {
            return false;
          }
        }
        return true;
      case MAP:
        if (!(v instanceof DataRecord r)) {
          return false;
        }
        for (String key : r.keys()) {
          if (!fitsValue(shape.element, r.get(key))) {
            return false;
          }
        }
        return true;
      default:
        // Types that only schemas give (int32, date, ...) are checked by the writer.
        return false;
    }
  }

  /** The shape inferred for a whole record. */
  public static Shape inferRecord(DataRecord rec) {
    Map<String, Shape> out = new LinkedHashMap<>();
    for (String key : rec.keys()) {
      out.put(key, infer(key, rec.get(key)));
    }
    return record(out);
  }

  private static boolean allStrings(DataRecord rec) {
    for (String key : rec.keys()) {
      Object v = rec.get(key);
      if (v != null && !(v instanceof String)) {
        return false;
      }
    }
    return true;
  }

  private static Shape decimalFor(BigDecimal dec) {
    int scale = Math.max(dec.scale(), 0);
    int integerDigits = dec.precision() - dec.scale();
    if (scale > MAX_PRECISION || Math.max(integerDigits, 1) + scale > MAX_PRECISION) {
      return JSON;
    }
    return decimal(scale);
  }

  /**
   * The narrowest shape holding the values of both: unknown gives way to anything, int64 widens to
   * decimal, decimals widen their scale while 38 digits hold the integer part of a long, records
   * add fields, and anything else that disagrees becomes JSON text.
   */
  public static Shape widen(Shape a, Shape b) {
    if (a.equals(b)) {
      return a;
    }
    if (a.kind == Kind.UNKNOWN) {
      return b;
    }
    if (b.kind == Kind.UNKNOWN) {
      return a;
    }
    if (a.kind == Kind.JSON || b.kind == Kind.JSON) {
      return JSON;
    }
    if (isWhole(a) && isWhole(b)) {
      return a.kind.ordinal() >= b.kind.ordinal() ? a : b;
    }
    if ((isWhole(a) || a.kind == Kind.DECIMAL) && (isWhole(b) || b.kind == Kind.DECIMAL)) {
      int s = Math.max(a.kind == Kind.DECIMAL ? a.scale : 0, b.kind == Kind.DECIMAL ? b.scale : 0);
      boolean longSide = isWhole(a) || isWhole(b);
      if (longSide && 19 + s > MAX_PRECISION) {
        return JSON;
      }
      return decimal(s);
    }
    if (a.kind == b.kind && a.kind == Kind.LIST) {
      return list(widen(a.element, b.element));
    }
    if (a.kind == b.kind && a.kind == Kind.MAP) {
      return map(widen(a.element, b.element));
    }
    if (a.kind == b.kind && a.kind == Kind.RECORD) {
      Map<String, Shape> out = new LinkedHashMap<>(a.fields);
      for (Map.Entry<String, Shape> e : b.fields.entrySet()) {
        out.merge(e.getKey(), e.getValue(), Shape::widen);
      }
      return record(out);
    }
    if (a.kind == Kind.MAP && b.kind == Kind.RECORD || a.kind == Kind.RECORD && b.kind == Kind.MAP) {
      Shape m = a.kind == Kind.MAP ? a : b;
      Shape r = a.kind == Kind.RECORD ? a : b;
      Shape value = m.element;
      for (Shape f : r.fields.values()) {
        value = widen(value, f);
      }
      return map(value);
    }
    return JSON;
  }

  private static boolean isWhole(Shape s) {
    return s.kind == Kind.INT8 || s.kind == Kind.INT16 || s.kind == Kind.INT32 || s.kind == Kind.INT64;
  }

  /** Lists, as "path: from -> to", where {@code after} differs from {@code before}. */
  public static void differences(String path, Shape before, Shape after, List<String[]> out) {
    if (before != null && before.equals(after)) {
      return;
    }
    if (before != null && before.kind == Kind.RECORD && after.kind == Kind.RECORD) {
      for (Map.Entry<String, Shape> e : after.fields.entrySet()) {
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        differences(p, before.fields.get(e.getKey()), e.getValue(), out);
      }
      return;
    }
    if (before != null && before.kind == after.kind && (after.kind == Kind.LIST || after.kind == Kind.MAP)) {
      differences(path + "[]", before.element, after.element, out);
      return;
    }
    out.add(new String[] {path, before == null ? null : before.toString(), after.toString()});
  }

  // ---------------------------------------------------------------- footer form

  /** This shape as a record, for the file footer. */
  public DataRecord toRecord() {
    DataRecord.Builder b = DataRecord.builder().put("kind", kind.name());
    if (kind == Kind.DECIMAL) {
      b.put("scale", (long) scale);
    }
    if (element != null) {
      b.put("element", element.toRecord());
    }
    if (fields != null) {
      List<Object> fs = new ArrayList<>();
      for (Map.Entry<String, Shape> e : fields.entrySet()) {
        fs.add(DataRecord.builder().put("name", e.getKey()).put("shape", e.getValue().toRecord()).build());
      }
      b.put("fields", fs);
    }
    return b.build();
  }

  /** Reads the footer form back. */
  public static Shape fromRecord(DataRecord r) {
    Kind kind = Kind.valueOf(r.getString("kind"));
    switch (kind) {
      case DECIMAL:
        return decimal(r.getLong("scale").intValue());
      case LIST:
        return list(fromRecord(r.getRecord("element")));
      case MAP:
        return map(fromRecord(r.getRecord("element")));
      case RECORD: {
        Map<String, Shape> out = new LinkedHashMap<>();
        for (Object o : r.getList("fields")) {
          DataRecord f = (DataRecord) o;
          out.put(f.getString("name"), fromRecord(f.getRecord("shape")));
        }
        return record(out);
      }
      default:
        return simple(kind);
    }
  }

  private static Shape simple(Kind kind) {
    switch (kind) {
      case UNKNOWN: return UNKNOWN;
      case STRING: return STRING;
      case JSON: return JSON;
      case BOOLEAN: return BOOLEAN;
      case INT8: return INT8;
      case INT16: return INT16;
      case INT32: return INT32;
      case INT64: return INT64;
      case DOUBLE: return DOUBLE;
      case DATE: return DATE;
      case TIMESTAMP: return TIMESTAMP;
      default: throw new IllegalArgumentException("not a simple kind: " + kind);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s
        && kind == s.kind
        && scale == s.scale
        && Objects.equals(element, s.element)
        && Objects.equals(fields, s.fields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, scale, element, fields);
  }

  @Override
  public String toString() {
    switch (kind) {
      case DECIMAL: return "decimal(38," + scale + ")";
      case LIST: return "list<" + element + ">";
      case MAP: return "map<string," + element + ">";
      case RECORD: {
        StringBuilder sb = new StringBuilder("struct<");
        String sep = "";
        for (Map.Entry<String, Shape> e : fields.entrySet()) {
          sb.append(sep).append(e.getKey()).append(':').append(e.getValue());
          sep = ",";
        }
        return sb.append('>').toString();
      }
      case UNKNOWN: return "string (only nulls so far)";
      case JSON: return "json text";
      default: return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
