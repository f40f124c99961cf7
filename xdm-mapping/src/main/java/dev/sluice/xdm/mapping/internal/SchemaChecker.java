package dev.sluice.xdm.mapping.internal;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import dev.sluice.xdm.mapping.MappingError;
import dev.sluice.xdm.mapping.MappingResult;
import dev.sluice.xdm.mapping.internal.expr.Values;
import dev.sluice.xdm.schema.XdmField;
import dev.sluice.xdm.schema.XdmSchema;
import dev.sluice.xdm.schema.XdmType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Converts a mapped record into a target schema's types and checks it, with Data Prep's rules: a
 * value that cannot be converted becomes {@code null} with a warning; a field the schema lacks is
 * dropped with a warning; a value outside the schema's constraints, or a required field missing
 * (or null), rejects the record.
 */
public final class SchemaChecker implements CompiledMapping.RecordChecker, Compiler.DestinationCheck {
  private final XdmSchema schema;
  private final Map<String, Pattern> patterns = new HashMap<>();

  /** Creates a checker; compiles the schema's patterns once. */
  public SchemaChecker(XdmSchema schema) {
    this.schema = schema;
    collectPatterns(schema.root());
  }

  private void collectPatterns(XdmField f) {
    if (f.pattern() != null) {
      patterns.put(f.pattern(), Pattern.compile(f.pattern()));
    }
    f.fields().forEach(this::collectPatterns);
    if (f.items() != null) {
      collectPatterns(f.items());
    }
  }

  // ---------------------------------------------------------------- compile-time

  @Override
  public void check(String where, Path destination, List<String> problems) {
    XdmField current = schema.root();
    StringBuilder walked = new StringBuilder();
    for (Path.Segment s : destination.segments()) {
      XdmField next;
      if (s.isName()) {
        next = current.type() == XdmType.OBJECT ? current.field(s.name)
            : current.type() == XdmType.MAP ? current.items() : null;
        if (next == null) {
          problems.add(where + ": destination '" + destination.text() + "' is not in the target schema ("
              + (current.type() == XdmType.OBJECT
                  ? (walked.length() == 0 ? "the root" : "'" + walked + "'") + " has no field '" + s.name + "'"
                  : "'" + walked + "' is " + article(current.type()) + ", not an object")
              + ")");
          return;
        }
        if (walked.length() > 0) {
          walked.append('.');
        }
        walked.append(Path.escape(s.name));
      } else {
        if (current.type() != XdmType.ARRAY) {
          problems.add(where + ": destination '" + destination.text() + "' indexes '" + walked + "', which is "
              + article(current.type()) + " in the target schema, not an array");
          return;
        }
        next = current.items();
        walked.append(s);
      }
      current = next;
    }
  }

  private static String article(XdmType t) {
    String n = t.xdmName();
    return ("aeiou".indexOf(n.charAt(0)) >= 0 ? "an " : "a ") + n;
  }

  // ---------------------------------------------------------------- run-time

  private static final class Ctx {
    final List<MappingError> errors;
    final String recordId;
    boolean rejected;

    Ctx(List<MappingError> errors, String recordId) {
      this.errors = errors;
      this.recordId = recordId;
    }

    void warn(String code, String path, String message) {
      errors.add(new MappingError(code, null, path, recordId, message, false));
    }

    void reject(String code, String path, String message) {
      errors.add(new MappingError(code, null, path, recordId, message, true));
      rejected = true;
    }
  }

  @Override
  public MappingResult check(DataRecord record, List<MappingError> errors, String recordId) {
    Ctx ctx = new Ctx(errors, recordId);
    DataRecord out = (DataRecord) convertObject(record, schema.root(), "", ctx);
    if (ctx.rejected) {
      return MappingResult.rejected(errors);
    }
    return errors.isEmpty() ? MappingResult.of(out) : MappingResult.withWarnings(out, errors);
  }

  private Object convertObject(DataRecord value, XdmField field, String path, Ctx ctx) {
    DataRecord.Builder b = DataRecord.builder();
    for (Map.Entry<String, Object> e : value.asMap().entrySet()) {
      String childPath = join(path, e.getKey());
      XdmField child = field.field(e.getKey());
      if (child == null) {
        ctx.warn("FIELD_NOT_IN_SCHEMA", childPath, "the target schema has no field '" + childPath + "'; it was left out");
        continue;
      }
      b.put(e.getKey(), convert(e.getValue(), child, childPath, ctx));
    }
    DataRecord out = b.build();
    for (XdmField child : field.fields()) {
      if (child.required() && out.get(child.name()) == null) {
        String childPath = join(path, child.name());
        ctx.reject("REQUIRED_FIELD_MISSING", childPath,
            "required field '" + childPath + "' is " + (out.has(child.name()) ? "null" : "missing"));
      }
    }
    return out;
  }

  private static String join(String path, String key) {
    String k = Path.escape(key);
    return path.isEmpty() ? k : path + "." + k;
  }

  private Object convert(Object value, XdmField field, String path, Ctx ctx) {
    if (value == null) {
      return null;
    }
    XdmType type = field.type();
    switch (type) {
      case OBJECT:
        if (!(value instanceof DataRecord)) {
          return failed(value, field, path, ctx);
        }
        return convertObject((DataRecord) value, field, path, ctx);
      case MAP:
        {
          if (!(value instanceof DataRecord)) {
            return failed(value, field, path, ctx);
          }
          DataRecord.Builder b = DataRecord.builder();
          for (Map.Entry<String, Object> e : ((DataRecord) value).asMap().entrySet()) {
            b.put(e.getKey(), convert(e.getValue(), field.items(), join(path, e.getKey()), ctx));
          }
          return b.build();
        }
      case ARRAY:
        {
          if (!(value instanceof List)) {
            return failed(value, field, path, ctx);
          }
          List<?> in = (List<?>) value;
          List<Object> out = new ArrayList<>(in.size());
          for (int i = 0; i < in.size(); i++) {
            out.add(convert(in.get(i), field.items(), path + "[" + i + "]", ctx));
          }
          return Collections.unmodifiableList(out);
        }
      case BOOLEAN:
        {
          Boolean b = toBoolean(value);
          return b == null ? failed(value, field, path, ctx) : b;
        }
      case STRING:
      case URI:
        {
          if (value instanceof DataRecord || value instanceof List) {
            return failed(value, field, path, ctx);
          }
          String s = value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : value.toString();
          checkString(s, field, path, ctx);
          return s;
        }
      case DATE:
        {
          ZonedDateTime t = toDateTime(value);
          return t == null ? failed(value, field, path, ctx) : t.toLocalDate().toString();
        }
      case DATE_TIME:
        {
          ZonedDateTime t = toDateTime(value);
          return t == null ? failed(value, field, path, ctx) : Values.formatDateTime(t);
        }
      case NUMBER:
      default:
        {
          BigDecimal d = toDecimal(value);
          if (d == null) {
            return failed(value, field, path, ctx);
          }
          if (type.isInteger()) {
            if (d.stripTrailingZeros().scale() > 0) {
              return failed(value, field, path, ctx);
            }
            checkBounds(d, type.minimum(), type.maximum(), field, path, ctx, "the " + type.xdmName() + " range");
          }
          checkBounds(d, field.minimum(), field.maximum(), field, path, ctx, "the schema's bounds");
          if (type.isInteger()) {
            return Values.fromBigInteger(d.toBigInteger());
          }
          return Values.isNumber(value) ? value : Values.normalize(d);
        }
    }
  }

  private Object failed(Object value, XdmField field, String path, Ctx ctx) {
    String shown = value instanceof String ? "'" + value + "'" : JsonValues.describe(value);
    if (field.required()) {
      // a required field cannot be nulled: the record is invalid
      ctx.reject("INVALID_VALUE", path, shown + " cannot be converted to " + article(field.type()));
    } else {
      ctx.warn("CONVERSION_FAILED", path, shown + " cannot be converted to " + article(field.type()) + "; set to null");
    }
    return null;
  }

  private void checkString(String s, XdmField f, String path, Ctx ctx) {
    if (f.minLength() != null && s.codePointCount(0, s.length()) < f.minLength()) {
      ctx.reject("INVALID_VALUE", path, "'" + s + "' is shorter than " + f.minLength() + " characters");
    }
    if (f.maxLength() != null && s.codePointCount(0, s.length()) > f.maxLength()) {
      ctx.reject("INVALID_VALUE", path, "'" + s + "' is longer than " + f.maxLength() + " characters");
    }
    if (f.enumValues() != null && !f.enumValues().contains(s)) {
      ctx.reject("INVALID_VALUE", path, "'" + s + "' is not one of " + f.enumValues());
    }
    if (f.pattern() != null && !patterns.get(f.pattern()).matcher(s).matches()) {
      ctx.reject("INVALID_VALUE", path, "'" + s + "' does not match the pattern " + f.pattern());
    }
  }

  private static void checkBounds(BigDecimal d, BigDecimal min, BigDecimal max, XdmField f, String path, Ctx ctx, String what) {
    if (min != null && d.compareTo(min) < 0 || max != null && d.compareTo(max) > 0) {
      ctx.reject("INVALID_VALUE", path, d.toPlainString() + " is outside " + what + " ["
          + (min == null ? "" : min.toPlainString()) + ", " + (max == null ? "" : max.toPlainString()) + "]");
    }
  }

  /** Data Prep's boolean words: true/false, yes/no, y/n, t/f, on/off, 1/0, any case. */
  static Boolean toBoolean(Object v) {
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v instanceof Long) {
      long l = (Long) v;
      return l == 1 ? Boolean.TRUE : l == 0 ? Boolean.FALSE : null;
    }
    if (v instanceof String) {
      switch (((String) v).trim().toLowerCase(Locale.ROOT)) {
        case "true": case "yes": case "y": case "t": case "on": case "1":
          return true;
        case "false": case "no": case "n": case "f": case "off": case "0":
          return false;
        default:
          return null;
      }
    }
    return null;
  }

  static BigDecimal toDecimal(Object v) {
    if (Values.isNumber(v)) {
      return Values.big((Number) v);
    }
    if (v instanceof String) {
      try {
        return new BigDecimal(((String) v).trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static final DateTimeFormatter[] DATE_FORMATS = {
    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT),
    DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss", Locale.ROOT),
  };
  private static final DateTimeFormatter[] DAY_FORMATS = {
    DateTimeFormatter.ISO_LOCAL_DATE,
    DateTimeFormatter.ofPattern("yyyy/MM/dd", Locale.ROOT),
    DateTimeFormatter.ofPattern("MM/dd/yyyy", Locale.ROOT),
  };

  /**
   * Reads a date or date-time: ISO-8601 with or without offset (UTC assumed), {@code yyyy-MM-dd
   * HH:mm:ss}, {@code yyyy/MM/dd}, {@code MM/dd/yyyy}. Numbers are refused: say whether they are
   * seconds or milliseconds with {@code from_unix_seconds} or {@code from_unix_millis}.
   */
  static ZonedDateTime toDateTime(Object v) {
    if (!(v instanceof String)) {
      return null;
    }
    String s = ((String) v).trim();
    try {
      return OffsetDateTime.parse(s).toZonedDateTime();
    } catch (DateTimeParseException e) {
      // next form
    }
    try {
      return ZonedDateTime.parse(s);
    } catch (DateTimeParseException e) {
      // next form
    }
    try {
      return LocalDateTime.parse(s).atZone(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // next form
    }
    for (DateTimeFormatter f : DATE_FORMATS) {
      try {
        return LocalDateTime.parse(s, f).atZone(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        // next form
      }
    }
    for (DateTimeFormatter f : DAY_FORMATS) {
      try {
        return LocalDate.parse(s, f).atStartOfDay(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        // next form
      }
    }
    return null;
  }
}
