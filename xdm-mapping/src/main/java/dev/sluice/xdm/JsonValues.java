package dev.sluice.xdm;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okio.Buffer;

/**
 * Reads and writes JSON values in the types {@link DataRecord} uses, keeping integers exact and
 * {@code null}s present.
 *
 * <p>Use {@link #parse(String)} and {@link #toJson(Object)} for text, and {@link
 * #read(JsonReader)} / {@link #write(JsonWriter, Object)} to stream values inside a larger
 * document (a Stripe list page, a JSON Lines file) with Moshi's reader and writer.
 *
 * <p>{@link #parse(String)} checks the whole text at once (so malformed JSON fails there, with
 * Moshi's message) but builds each object's fields only when they are first read, and {@link
 * #toJson(Object)} copies an object that was read from compact text and never changed as it was.
 * Both give exactly what Moshi's reader and writer give: any text the fast path does not take
 * (a raw control character, a lone surrogate, nesting past Moshi's limit, malformed JSON) is read
 * by Moshi.
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
    Object fast = FastJson.parse(json);
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
    String json = FastJson.toJson(value);
    // Not a JSON value: Moshi's writer names the path.
    return json != null ? json : toJsonWithMoshi(value);
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
}
