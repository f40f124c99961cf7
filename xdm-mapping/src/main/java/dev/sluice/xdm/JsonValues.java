package dev.sluice.xdm;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okio.Buffer;

/**
 * Reads and writes JSON values in the types {@link DataRecord} uses, keeping integers exact and
 * {@code null}s present.
 *
 * <p>Use {@link #parse(String)} and {@link #toJson(Object)} for text, and {@link
 * #read(JsonReader)} / {@link #write(JsonWriter, Object)} to stream values inside a larger
 * document (a Stripe list page, a JSON Lines file) with Moshi's reader and writer.
 */
public final class JsonValues {
  /** Marker for an absent path, distinct from JSON {@code null}. */
  static final Object ABSENT = new Object();

  private JsonValues() {}

  /**
   * Parses one JSON value: a {@link DataRecord}, a {@link List}, a string, a boolean, an exact
   * number or {@code null}.
   *
   * @throws JsonFormatException if the text is not a single well-formed JSON value
   */
  public static Object parse(String json) {
    Object fast = parseFast(json);
    if (fast != ABSENT) {
      return fast;
    }
    return parseWithMoshi(json);
  }

  /** The reference reader {@link #parse(String)} must agree with, for tests and for what the fast scan leaves. */
  static Object parseWithMoshi(String json) {
    Buffer buffer = new Buffer().writeUtf8(json);
    JsonReader reader = JsonReader.of(buffer);
    try {
      Object value = read(reader);
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        throw new JsonFormatException(
            "Unexpected content after the JSON value at path " + reader.getPath());
      }
      return value;
    } catch (IOException e) {
      throw new JsonFormatException("Malformed JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the next JSON value from a Moshi reader. Integers become {@link Long} (or {@link
   * BigInteger} past its range), other numbers {@link BigDecimal}; objects become {@link
   * DataRecord}s with their key order; a duplicate key keeps its last value.
   *
   * @throws JsonFormatException if the JSON is malformed, naming the path
   * @throws IOException if the underlying source fails
   */
  public static Object read(JsonReader reader) throws IOException {
    try {
      return readValue(reader);
    } catch (JsonEncodingException | JsonDataException e) {
      throw new JsonFormatException("Malformed JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the next JSON value from a Moshi reader and requires it to be an object.
   *
   * @throws JsonFormatException if the value is not an object, naming the path
   * @throws IOException if the underlying source fails
   */
  public static DataRecord readRecord(JsonReader reader) throws IOException {
    String path = reader.getPath();
    Object value = read(reader);
    if (!(value instanceof DataRecord)) {
      throw new JsonFormatException(
          "Expected a JSON object at path " + path + " but found " + describe(value));
    }
    return (DataRecord) value;
  }

  private static Object readValue(JsonReader reader) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT:
        {
          reader.beginObject();
          DataRecord.Builder builder = DataRecord.builder();
          while (reader.hasNext()) {
            String name = reader.nextName();
            builder.putTrusted(name, readValue(reader));
          }
          reader.endObject();
          return builder.build();
        }
      case BEGIN_ARRAY:
        {
          reader.beginArray();
          List<Object> list = new ArrayList<>();
          while (reader.hasNext()) {
            list.add(readValue(reader));
          }
          reader.endArray();
          return Collections.unmodifiableList(list);
        }
      case STRING:
        return reader.nextString();
      case NUMBER:
        return parseNumber(reader.nextString(), reader.getPath());
      case BOOLEAN:
        return reader.nextBoolean();
      case NULL:
        return reader.nextNull();
      default:
        throw new JsonFormatException(
            "Expected a JSON value at path " + reader.getPath() + " but found " + reader.peek());
    }
  }

  /**
   * Turns a JSON number literal into its exact Java value: {@link Long} for integers that fit,
   * {@link BigInteger} for larger ones, {@link BigDecimal} for anything with a fraction or an
   * exponent.
   *
   * @throws JsonFormatException if the literal is not a number
   */
  public static Number parseNumber(String literal, String path) {
    try {
      boolean integral = true;
      for (int i = 0; i < literal.length(); i++) {
        char c = literal.charAt(i);
        if (c == '.' || c == 'e' || c == 'E') {
          integral = false;
          break;
        }
      }
      if (integral) {
        if (literal.length() < 19) {
          return Long.parseLong(literal);
        }
        BigInteger big = new BigInteger(literal);
        return big.bitLength() < 64 ? (Number) big.longValue() : big;
      }
      return new BigDecimal(literal);
    } catch (NumberFormatException e) {
      throw new JsonFormatException("Not a number at path " + path + ": '" + literal + "'", e);
    }
  }

  /** Writes a value as compact JSON text, keys in order, {@code null}s kept. */
  public static String toJson(Object value) {
    StringBuilder b = new StringBuilder(512);
    try {
      writeFast(b, value);
    } catch (IllegalArgumentException e) {
      return toJsonWithMoshi(value); // not a JSON value: Moshi's writer names the path
    }
    return b.toString();
  }

  /** The reference writer {@link #toJson(Object)} must agree with, for tests. */
  static String toJsonWithMoshi(Object value) {
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      writer.setSerializeNulls(true);
      write(writer, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.readUtf8();
  }

  /**
   * Writes a value with a Moshi writer. The writer must have {@code serializeNulls} on for JSON
   * {@code null} fields to be kept; {@link #toJson(Object)} does that for you.
   *
   * @throws IllegalArgumentException if the value is not one of the JSON types {@link DataRecord}
   *     holds
   * @throws IOException if the underlying sink fails
   */
  public static void write(JsonWriter writer, Object value) throws IOException {
    if (value == null) {
      writer.nullValue();
    } else if (value instanceof String) {
      writer.value((String) value);
    } else if (value instanceof Long) {
      writer.value((long) (Long) value);
    } else if (value instanceof Boolean) {
      writer.value((boolean) (Boolean) value);
    } else if (value instanceof DataRecord) {
      writer.beginObject();
      for (var e : ((DataRecord) value).asMap().entrySet()) {
        writer.name(e.getKey());
        write(writer, e.getValue());
      }
      writer.endObject();
    } else if (value instanceof List) {
      writer.beginArray();
      for (Object item : (List<?>) value) {
        write(writer, item);
      }
      writer.endArray();
    } else if (value instanceof BigInteger || value instanceof BigDecimal) {
      writer.value((Number) value);
    } else {
      throw new IllegalArgumentException(
          "Not a JSON value at path " + writer.getPath() + ": " + value.getClass().getName());
    }
  }

  /** Describes a value's JSON type for error messages: "a string", "null", "an object", … */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof String) {
      return "a string";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof Long || value instanceof BigInteger) {
      return "an integer";
    } else if (value instanceof BigDecimal) {
      return "a decimal number";
    } else if (value instanceof DataRecord) {
      return "an object";
    } else if (value instanceof List) {
      return "an array";
    }
    return "a " + value.getClass().getSimpleName();
  }

  /** Follows a dotted path with optional {@code [n]} indexes; {@link #ABSENT} if it is not there. */
  static Object lookup(DataRecord root, String path) {
    Object current = root;
    int i = 0;
    int n = path.length();
    while (i < n) {
      char c = path.charAt(i);
      if (c == '[') {
        int close = path.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("Unclosed '[' in path '" + path + "'");
        }
        int index = Integer.parseInt(path.substring(i + 1, close));
        if (!(current instanceof List) || index < 0 || index >= ((List<?>) current).size()) {
          return ABSENT;
        }
        current = ((List<?>) current).get(index);
        i = close + 1;
        if (i < n && path.charAt(i) == '.') {
          i++;
        }
      } else {
        int end = i;
        while (end < n && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        String key = path.substring(i, end);
        if (!(current instanceof DataRecord) || !((DataRecord) current).has(key)) {
          return ABSENT;
        }
        current = ((DataRecord) current).get(key);
        i = end;
        if (i < n && path.charAt(i) == '.') {
          i++;
        }
      }
    }
    return current;
  }

  // ---------------------------------------------------------------------------------------------
  // The fast path for JSON text: a validating scan, objects parsed one level at a time when first
  // read, and a writer that copies untouched objects as they were read. Moshi stays the reference:
  // whatever the scan does not accept goes to Moshi, which gives the same value or the same error.
  // ---------------------------------------------------------------------------------------------

  /** Moshi's reader refuses deeper nesting; the scan leaves such text to Moshi. */
  private static final int MAX_DEPTH = 255;

  /**
   * Parses JSON text without Moshi when the text is plain strict JSON, or returns {@link #ABSENT}
   * when it is not (then Moshi must parse it: it gives the same value or the error).
   */
  static Object parseFast(String text) {
    Scan scan = new Scan(text);
    int start = scan.skipWhitespace(0);
    int end = scan.value(start, 0);
    if (end < 0 || scan.skipWhitespace(end) != text.length()) {
      return ABSENT;
    }
    Doc doc = new Doc(text, scan.canonical);
    char c = text.charAt(start);
    if (c == '{') {
      return DataRecord.lazy(new LazyObject(doc, start, end));
    }
    Level level = new Level(doc, start);
    return level.value();
  }

  /** One parsed text, shared by the lazy objects cut from it. */
  static final class Doc {
    final String text;
    /**
     * Whether every object in the text is written exactly as {@link #toJson(Object)} would write
     * it (no whitespace, no escapes but the writer's own, numbers as they print, no duplicate
     * keys), so that an untouched object can be copied as text.
     */
    final boolean canonical;

    Doc(String text, boolean canonical) {
      this.text = text;
      this.canonical = canonical;
    }
  }

  /**
   * The fields of an object read from JSON text: parsed (one level; nested objects stay lazy) the
   * first time they are needed. Immutable from the outside and safe to share between threads: the
   * parsed map is published through an unmodifiable wrapper's final field.
   */
  static final class LazyObject extends AbstractMap<String, Object> {
    final Doc doc;
    final int start;
    final int end;
    private Map<String, Object> parsed;

    LazyObject(Doc doc, int start, int end) {
      this.doc = doc;
      this.start = start;
      this.end = end;
    }

    /** Whether the object's text may be copied as it is. */
    boolean copyable() {
      return doc.canonical;
    }

    private Map<String, Object> fields() {
      Map<String, Object> f = parsed;
      if (f == null) {
        f = Collections.unmodifiableMap(new Level(doc, start).object());
        parsed = f;
      }
      return f;
    }

    @Override
    public Object get(Object key) {
      return fields().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return fields().containsKey(key);
    }

    @Override
    public int size() {
      return fields().size();
    }

    @Override
    public boolean isEmpty() {
      return end - start == 2 || fields().isEmpty();
    }

    @Override
    public Set<String> keySet() {
      return fields().keySet();
    }

    @Override
    public Collection<Object> values() {
      return fields().values();
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
      return fields().entrySet();
    }

    @Override
    public boolean equals(Object o) {
      return fields().equals(o);
    }

    @Override
    public int hashCode() {
      return fields().hashCode();
    }
  }

  /** Field names seen before, shared so that parsing a record does not copy its keys again. */
  private static final String[] NAMES = new String[4096];

  /** Reads one level of already-validated text: scalars and arrays now, objects lazily. */
  static final class Level {
    private final Doc doc;
    private final String s;
    private int pos;

    Level(Doc doc, int pos) {
      this.doc = doc;
      this.s = doc.text;
      this.pos = pos;
    }

    LinkedHashMap<String, Object> object() {
      LinkedHashMap<String, Object> map = new LinkedHashMap<>();
      pos = ws(pos + 1);
      if (s.charAt(pos) == '}') {
        return map;
      }
      while (true) {
        String key = name();
        pos = ws(ws(pos) + 1); // ':'
        map.put(key, value());
        pos = ws(pos);
        if (s.charAt(pos++) == '}') {
          return map;
        }
        pos = ws(pos);
      }
    }

    Object value() {
      char c = s.charAt(pos);
      switch (c) {
        case '"':
          return string();
        case '{':
          {
            int begin = pos;
            pos = skipContainer(pos);
            return DataRecord.lazy(new LazyObject(doc, begin, pos));
          }
        case '[':
          {
            List<Object> list = new ArrayList<>();
            pos = ws(pos + 1);
            if (s.charAt(pos) == ']') {
              pos++;
              return Collections.unmodifiableList(list);
            }
            while (true) {
              list.add(value());
              pos = ws(pos);
              if (s.charAt(pos++) == ']') {
                return Collections.unmodifiableList(list);
              }
              pos = ws(pos);
            }
          }
        case 't':
          pos += 4;
          return Boolean.TRUE;
        case 'f':
          pos += 5;
          return Boolean.FALSE;
        case 'n':
          pos += 4;
          return null;
        default:
          return number();
      }
    }

    private Number number() {
      int begin = pos;
      int i = pos;
      boolean negative = s.charAt(i) == '-';
      if (negative) {
        i++;
      }
      long value = 0;
      int digits = 0;
      int n = s.length();
      char c = 0;
      while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        digits++;
        i++;
      }
      boolean integral = i == n || (c != '.' && c != 'e' && c != 'E');
      if (integral && digits < 19) {
        pos = i;
        return negative ? -value : value;
      }
      while (i < n && isNumberChar(s.charAt(i))) {
        i++;
      }
      pos = i;
      return parseNumber(s.substring(begin, i), "$");
    }

    private String name() {
      int begin = pos + 1;
      int i = begin;
      int h = 0;
      char c;
      while ((c = s.charAt(i)) != '"') {
        if (c == '\\') {
          return string();
        }
        h = 31 * h + c;
        i++;
      }
      pos = i + 1;
      int len = i - begin;
      int slot = (h ^ (h >>> 12)) & (NAMES.length - 1);
      String cached = NAMES[slot];
      if (cached != null && cached.length() == len && s.regionMatches(begin, cached, 0, len)) {
        return cached;
      }
      String name = s.substring(begin, i);
      NAMES[slot] = name;
      return name;
    }

    private String string() {
      int begin = pos + 1;
      int i = begin;
      char c;
      while ((c = s.charAt(i)) != '"') {
        if (c == '\\') {
          return escapedString(begin);
        }
        i++;
      }
      pos = i + 1;
      return s.substring(begin, i);
    }

    private String escapedString(int begin) {
      StringBuilder b = new StringBuilder();
      int i = begin;
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          break;
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'b': b.append('\b'); break;
          case 'f': b.append('\f'); break;
          case 'n': b.append('\n'); break;
          case 'r': b.append('\r'); break;
          case 't': b.append('\t'); break;
          case 'u':
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
            break;
          default: b.append(e); // '"', '\\', '/'
        }
      }
      pos = i;
      return b.toString();
    }

    private int ws(int i) {
      char c;
      while ((c = s.charAt(i)) == ' ' || c == '\n' || c == '\r' || c == '\t') {
        i++;
      }
      return i;
    }

    /** The index after the object or array starting at {@code i}. */
    private int skipContainer(int i) {
      int depth = 0;
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          while ((c = s.charAt(i++)) != '"') {
            if (c == '\\') {
              i++;
            }
          }
        } else if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) {
            return i;
          }
        }
      }
    }
  }

  private static boolean isNumberChar(char c) {
    return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
  }

  /**
   * Checks that text is strict JSON that Moshi reads the same way, and whether it is canonical
   * (see {@link Doc#canonical}). Each method returns the index after what it checked, or -1.
   */
  static final class Scan {
    private final String s;
    private final int n;
    boolean canonical = true;
    /** Hashes of the keys of the objects being scanned, as a stack. */
    private int[] keys = new int[64];
    private int top;

    Scan(String s) {
      this.s = s;
      this.n = s.length();
    }

    int skipWhitespace(int i) {
      char c;
      while (i < n && ((c = s.charAt(i)) == ' ' || c == '\n' || c == '\r' || c == '\t')) {
        i++;
        canonical = false;
      }
      return i;
    }

    int value(int i, int depth) {
      if (i >= n) {
        return -1;
      }
      char c = s.charAt(i);
      switch (c) {
        case '{':
          return depth >= MAX_DEPTH ? -1 : object(i, depth + 1);
        case '[':
          return depth >= MAX_DEPTH ? -1 : array(i, depth + 1);
        case '"':
          return string(i);
        case 't':
          return s.startsWith("true", i) ? i + 4 : -1;
        case 'f':
          return s.startsWith("false", i) ? i + 5 : -1;
        case 'n':
          return s.startsWith("null", i) ? i + 4 : -1;
        default:
          return number(i);
      }
    }

    private int object(int i, int depth) {
      int base = top;
      i = skipWhitespace(i + 1);
      if (i < n && s.charAt(i) == '}') {
        return i + 1;
      }
      while (true) {
        if (i >= n || s.charAt(i) != '"') {
          return -1;
        }
        int keyStart = i;
        i = string(i);
        if (i < 0) {
          return -1;
        }
        if (canonical) {
          checkDuplicate(base, keyStart, i);
        }
        i = skipWhitespace(i);
        if (i >= n || s.charAt(i) != ':') {
          return -1;
        }
        i = value(skipWhitespace(i + 1), depth);
        if (i < 0) {
          return -1;
        }
        i = skipWhitespace(i);
        if (i >= n) {
          return -1;
        }
        char c = s.charAt(i);
        if (c == '}') {
          top = base;
          return i + 1;
        }
        if (c != ',') {
          return -1;
        }
        i = skipWhitespace(i + 1);
      }
    }

    /** Marks the text not canonical when the key just scanned repeats one of its object's keys. */
    private void checkDuplicate(int base, int keyStart, int keyEnd) {
      int h = 0;
      for (int k = keyStart + 1; k < keyEnd - 1; k++) {
        h = 31 * h + s.charAt(k);
      }
      for (int k = base; k < top; k++) {
        if (keys[k] == h) {
          // a repeat, or a hash collision: either way, leave copying to the parsed fields
          canonical = false;
          return;
        }
      }
      if (top == keys.length) {
        keys = Arrays.copyOf(keys, top * 2);
      }
      keys[top++] = h;
    }

    private int array(int i, int depth) {
      i = skipWhitespace(i + 1);
      if (i < n && s.charAt(i) == ']') {
        return i + 1;
      }
      while (true) {
        i = value(i, depth);
        if (i < 0) {
          return -1;
        }
        i = skipWhitespace(i);
        if (i >= n) {
          return -1;
        }
        char c = s.charAt(i);
        if (c == ']') {
          return i + 1;
        }
        if (c != ',') {
          return -1;
        }
        i = skipWhitespace(i + 1);
      }
    }

    private int string(int i) {
      i++;
      while (i < n) {
        char c = s.charAt(i++);
        if (c == '"') {
          return i;
        }
        if (c < 0x20) {
          return -1; // a raw control character: Moshi decides
        }
        if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
          // a pair is kept as it is; a lone surrogate becomes '?' on Moshi's UTF-8 round trip
          if (!Character.isHighSurrogate(c) || i >= n || !Character.isLowSurrogate(s.charAt(i))) {
            return -1;
          }
          i++;
          continue;
        }
        if (c == '\\') {
          if (i >= n) {
            return -1;
          }
          char e = s.charAt(i++);
          if (e == 'u') {
            if (i + 4 > n) {
              return -1;
            }
            for (int k = 0; k < 4; k++) {
              if (Character.digit(s.charAt(i + k), 16) < 0) {
                return -1;
              }
            }
            i += 4;
            canonical = false;
          } else if (e == '"' || e == '\\') {
            // written the same way
          } else if (e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
            canonical = false;
          } else {
            return -1;
          }
        } else if (c == '\u2028' || c == '\u2029') {
          canonical = false;
        }
      }
      return -1;
    }

    private int number(int i) {
      int begin = i;
      if (i < n && s.charAt(i) == '-') {
        i++;
      }
      if (i >= n) {
        return -1;
      }
      char c = s.charAt(i);
      if (c == '0') {
        i++;
      } else if (c >= '1' && c <= '9') {
        while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
          i++;
        }
      } else {
        return -1;
      }
      boolean integral = true;
      if (i < n && s.charAt(i) == '.') {
        integral = false;
        int digits = ++i;
        while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
          i++;
        }
        if (i == digits) {
          return -1;
        }
      }
      if (i < n && ((c = s.charAt(i)) == 'e' || c == 'E')) {
        integral = false;
        i++;
        if (i < n && ((c = s.charAt(i)) == '+' || c == '-')) {
          i++;
        }
        int digits = i;
        while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
          i++;
        }
        if (i == digits) {
          return -1;
        }
      }
      if (canonical) {
        if (integral) {
          canonical = !(i - begin == 2 && s.charAt(begin) == '-'); // "-0" prints as 0
        } else {
          String literal = s.substring(begin, i);
          canonical = parseNumber(literal, "$").toString().equals(literal);
        }
      }
      return i;
    }
  }

  /**
   * Writes a value as compact JSON text, exactly as Moshi's writer with {@code serializeNulls}
   * does, copying objects that were read from canonical text and never changed.
   */
  static void writeFast(StringBuilder b, Object value) {
    if (value == null) {
      b.append("null");
    } else if (value instanceof String) {
      writeString(b, (String) value);
    } else if (value instanceof Long) {
      b.append((long) (Long) value);
    } else if (value instanceof Boolean) {
      b.append((boolean) (Boolean) value);
    } else if (value instanceof DataRecord) {
      Map<String, Object> fields = ((DataRecord) value).fieldsForWriter();
      if (fields instanceof LazyObject && ((LazyObject) fields).copyable()) {
        LazyObject lazy = (LazyObject) fields;
        b.append(lazy.doc.text, lazy.start, lazy.end);
        return;
      }
      b.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : fields.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        writeString(b, e.getKey());
        b.append(':');
        writeFast(b, e.getValue());
      }
      b.append('}');
    } else if (value instanceof List) {
      b.append('[');
      boolean first = true;
      for (Object item : (List<?>) value) {
        if (!first) {
          b.append(',');
        }
        first = false;
        writeFast(b, item);
      }
      b.append(']');
    } else if (value instanceof BigInteger || value instanceof BigDecimal) {
      b.append(value.toString());
    } else {
      throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
    }
  }

  private static void writeString(StringBuilder b, String s) {
    b.append('"');
    int n = s.length();
    int run = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c < 0x2028) {
        continue; // also below the surrogates
      }
      String replacement;
      if (c < 0x20) {
        switch (c) {
          case '\b': replacement = "\\b"; break;
          case '\f': replacement = "\\f"; break;
          case '\n': replacement = "\\n"; break;
          case '\r': replacement = "\\r"; break;
          case '\t': replacement = "\\t"; break;
          default: replacement = String.format("\\u%04x", (int) c);
        }
      } else if (c == '"') {
        replacement = "\\\"";
      } else if (c == '\\') {
        replacement = "\\\\";
      } else if (c == '\u2028') {
        replacement = "\\u2028";
      } else if (c == '\u2029') {
        replacement = "\\u2029";
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a pair: written as it is
        continue;
      } else if (Character.isSurrogate(c)) {
        replacement = "?"; // as Moshi's UTF-8 output writes a lone surrogate
      } else {
        continue;
      }
      b.append(s, run, i).append(replacement);
      run = i + 1;
    }
    b.append(s, run, n).append('"');
  }
}
