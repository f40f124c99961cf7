package dev.sluice.xdm;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One JSON object, as Sluice carries it from Stripe through a mapping into a sink.
 *
 * <p>A {@code DataRecord} is an immutable, ordered map from field names to values. It keeps what
 * matters for data that must be correct to the last cent:
 *
 * <ul>
 *   <li><b>Key order</b> is the order the fields were read or put.
 *   <li><b>Numbers stay exact.</b> A JSON integer is a {@link Long}, or a {@link BigInteger} past
 *       the range of {@code long}; a number with a fraction or exponent is a {@link BigDecimal}. A
 *       number never passes through {@code double}.
 *   <li><b>{@code null} is data.</b> A field present with JSON {@code null} ({@link #has} is true,
 *       {@link #get} returns {@code null}) is different from an absent field ({@link #has} is
 *       false).
 * </ul>
 *
 * <p>Values are one of: {@code null}, {@link String}, {@link Boolean}, {@link Long}, {@link
 * BigInteger}, {@link BigDecimal}, a nested {@code DataRecord}, or an unmodifiable {@link List} of
 * such values. {@link Builder#put} accepts other common Java types ({@code Integer}, {@code Map},
 * {@code Collection}, …) and converts them; anything else is refused with an {@link
 * IllegalArgumentException} naming the field.
 *
 * <pre>{@code
 * DataRecord charge = DataRecord.fromJson("{\"id\":\"ch_1\",\"amount\":1099,\"customer\":null}");
 * charge.getLong("amount");        // 1099
 * charge.has("customer");          // true, and charge.get("customer") == null
 * charge.has("invoice");           // false
 * DataRecord copy = charge.toBuilder().put("amount", 0L).build();
 * String json = copy.toJson();     // {"id":"ch_1","amount":0,"customer":null}
 * }</pre>
 *
 * <p>Instances are immutable and safe to share between threads. {@link #equals} compares field
 * by field, in order-insensitive map fashion; {@link #toString} is the JSON text.
 */
public final class DataRecord {
  private static final DataRecord EMPTY = new DataRecord(Collections.emptyMap());

  private final Map<String, Object> fields;

  private DataRecord(Map<String, Object> fields) {
    this.fields = fields;
  }

  /** A record over fields that are already checked (the JSON reader's lazily parsed objects). */
  static DataRecord lazy(Map<String, Object> fields) {
    return new DataRecord(fields);
  }

  /** The fields as they are held, for the JSON writer: it copies untouched parsed text. */
  Map<String, Object> fieldsForWriter() {
    return fields;
  }

  /** Returns the record with no fields. */
  public static DataRecord empty() {
    return EMPTY;
  }

  /** Returns a builder for a new record. */
  public static Builder builder() {
    return new Builder(new LinkedHashMap<>());
  }

  /**
   * Parses one JSON object.
   *
   * @throws JsonFormatException if {@code json} is not a JSON object, naming the path and the
   *     problem
   */
  public static DataRecord fromJson(String json) {
    Objects.requireNonNull(json, "json == null");
    Object value = JsonValues.parse(json);
    if (!(value instanceof DataRecord)) {
      throw new JsonFormatException(
          "Expected a JSON object at path $ but found " + JsonValues.describe(value));
    }
    return (DataRecord) value;
  }

  /** Returns a builder holding this record's fields, to make a changed copy. */
  public Builder toBuilder() {
    return new Builder(new LinkedHashMap<>(fields));
  }

  /** Whether the field is present (with any value, {@code null} included). */
  public boolean has(String key) {
    return fields.containsKey(key);
  }

  /** The field's value; {@code null} when the field is JSON {@code null} or absent. */
  public Object get(String key) {
    return fields.get(key);
  }

  /** Whether the field is present and JSON {@code null}. */
  public boolean isNull(String key) {
    return fields.containsKey(key) && fields.get(key) == null;
  }

  /**
   * The field as a string, or {@code null} when it is null or absent.
   *
   * @throws IllegalStateException if the field holds another type
   */
  public String getString(String key) {
    return typed(key, String.class);
  }

  /**
   * The field as a {@code Long}, or {@code null} when it is null or absent.
   *
   * @throws IllegalStateException if the field holds another type, or an integer past {@code long}
   */
  public Long getLong(String key) {
    return typed(key, Long.class);
  }

  /**
   * The field as a {@code Boolean}, or {@code null} when it is null or absent.
   *
   * @throws IllegalStateException if the field holds another type
   */
  public Boolean getBoolean(String key) {
    return typed(key, Boolean.class);
  }

  /**
   * The field as a nested record, or {@code null} when it is null or absent.
   *
   * @throws IllegalStateException if the field holds another type
   */
  public DataRecord getRecord(String key) {
    return typed(key, DataRecord.class);
  }

  /**
   * The field as a list, or {@code null} when it is null or absent.
   *
   * @throws IllegalStateException if the field holds another type
   */
  @SuppressWarnings("unchecked")
  public List<Object> getList(String key) {
    return typed(key, List.class);
  }

  private <T> T typed(String key, Class<T> type) {
    Object value = fields.get(key);
    if (value == null || type.isInstance(value)) {
      return type.cast(value);
    }
    throw new IllegalStateException(
        "Field '" + key + "' holds " + JsonValues.describe(value) + ", not " + type.getSimpleName());
  }

  /**
   * Whether a dotted path is present, for example {@code "outcome.risk_level"} or {@code
   * "items.data[0].id"}. A path through a {@code null} or a non-object is absent.
   */
  public boolean hasPath(String path) {
    return JsonValues.lookup(this, path) != JsonValues.ABSENT;
  }

  /**
   * The value at a dotted path ({@code "a.b[2].c"}), or {@code null} when the value is null or the
   * path is absent; use {@link #hasPath} to tell the two apart.
   */
  public Object getPath(String path) {
    Object value = JsonValues.lookup(this, path);
    return value == JsonValues.ABSENT ? null : value;
  }

  /** The field names, in order. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(fields.keySet());
  }

  /** The number of fields. */
  public int size() {
    return fields.size();
  }

  /** Whether the record has no fields. */
  public boolean isEmpty() {
    return fields.isEmpty();
  }

  /** An unmodifiable, ordered view of the fields. */
  public Map<String, Object> asMap() {
    return Collections.unmodifiableMap(fields);
  }

  /** Writes this record as compact JSON text, keys in order, {@code null}s kept. */
  public String toJson() {
    return JsonValues.toJson(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataRecord && ((DataRecord) o).fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  /** The record as compact JSON text. */
  @Override
  public String toString() {
    return toJson();
  }

  /**
   * Builds a {@link DataRecord}. Not thread-safe; the built record is independent of the builder.
   */
  public static final class Builder {
    private Map<String, Object> fields;
    /** Whether {@link #fields} belongs to a built record: copied before the next change. */
    private boolean shared;

    private Builder(Map<String, Object> fields) {
      this.fields = fields;
    }

    private Map<String, Object> writable() {
      if (shared) {
        fields = new LinkedHashMap<>(fields);
        shared = false;
      }
      return fields;
    }

    /**
     * Sets a field, keeping its position if it was already present, adding it last otherwise.
     * {@code value} may be {@code null} (JSON null). {@code Integer}, {@code Short} and {@code
     * Byte} become {@code Long}; {@code Map}s become records; collections and arrays become lists.
     *
     * @throws IllegalArgumentException if the value (or a value inside it) has a type that is not
     *     JSON, such as {@code Double} or a date
     */
    public Builder put(String key, Object value) {
      Objects.requireNonNull(key, "key == null");
      Object normalized = normalize(value, key);
      writable().put(key, normalized);
      return this;
    }

    /** Sets a field to JSON {@code null}. */
    public Builder putNull(String key) {
      return put(key, null);
    }

    /** Removes a field, making it absent. */
    public Builder remove(String key) {
      writable().remove(key);
      return this;
    }

    /** Whether the builder holds the field. */
    public boolean has(String key) {
      return fields.containsKey(key);
    }

    /** The value the builder holds for a field. */
    public Object get(String key) {
      return fields.get(key);
    }

    /** Returns the record; the builder may be used again afterwards. */
    public DataRecord build() {
      if (fields.isEmpty()) {
        return EMPTY;
      }
      DataRecord record = new DataRecord(fields);
      shared = true; // copied on the next change, so the record never sees one
      return record;
    }

    /** Adds a field without copying or checking it; for the JSON reader only. */
    Builder putTrusted(String key, Object value) {
      writable().put(key, value);
      return this;
    }
  }

  static Object normalize(Object value, String path) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof BigInteger
        || value instanceof DataRecord) {
      return value;
    }
    if (value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Map) {
      Builder nested = builder();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException(
              "Field '" + path + "' is a map with a non-string key " + e.getKey());
        }
        String key = (String) e.getKey();
        nested.put(key, normalize(e.getValue(), path + "." + key));
      }
      return nested.build();
    }
    if (value instanceof Iterable || value instanceof Object[]) {
      Iterable<?> items =
          value instanceof Object[] ? List.of((Object[]) value) : (Iterable<?>) value;
      List<Object> out = new ArrayList<>();
      int i = 0;
      for (Object item : items) {
        out.add(normalize(item, path + "[" + i++ + "]"));
      }
      return Collections.unmodifiableList(out);
    }
    if (value instanceof Character) {
      return value.toString();
    }
    throw new IllegalArgumentException(
        "Field '"
            + path
            + "' has a value of type "
            + value.getClass().getName()
            + ", which is not a JSON value; use String, Boolean, Long, BigInteger, BigDecimal,"
            + " DataRecord or List (a double is refused so that amounts stay exact: use BigDecimal)");
  }
}
