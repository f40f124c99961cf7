package dev.sluice.core.internal;

import dev.sluice.core.SchemaChange;
import dev.sluice.xdm.DataRecord;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a flow knows about its dataset's records, kept with its checkpoint: the fields seen (top
 * level, and one level down inside objects; the keys inside {@code metadata} left out) with their
 * JSON types, and the API version the data was last read at.
 *
 * <p>A field's type is the set of JSON types seen for it other than {@code null}, written {@code
 * number|string} when there are several; {@code null} alone until a value shows a type. A field not
 * seen before is reported as new; a type joining a field's set is reported as a type change
 * ({@code number -> number|string}); a field's first non-null type replacing {@code null} is not a
 * change. While the state is a baseline (no field known at the start of the run) nothing is
 * reported: the first run learns the dataset.
 *
 * <p>Text: {@code {"api_version":"2024-06-20","fields":{"amount":"number",…}}}, keys sorted.
 */
public final class DriftState {
  private static final int MAX_FIELDS = 10_000;

  private final String dataset;
  /** Top-level field to type, and object field to its fields' types. */
  private final Map<String, String> top = new HashMap<>();
  private final Map<String, Map<String, String>> nested = new HashMap<>();
  private int count;
  private String apiVersion;
  private final boolean baseline;
  private final List<SchemaChange> changes = new ArrayList<>();

  private DriftState(String dataset, Map<String, String> fields, String apiVersion) {
    this.dataset = dataset;
    fields.forEach((path, type) -> {
      int dot = path.indexOf('.');
      if (dot < 0) {
        top.put(path, type);
      } else {
        nested.computeIfAbsent(path.substring(0, dot), k -> new HashMap<>()).put(path.substring(dot + 1), type);
      }
    });
    this.count = fields.size();
    this.apiVersion = apiVersion;
    this.baseline = fields.isEmpty();
  }

  /** A state with nothing known yet. */
  public static DriftState empty(String dataset) {
    return new DriftState(dataset, Map.of(), null);
  }

  /**
   * A state as {@link #toJson()} wrote it.
   *
   * @throws IllegalArgumentException saying what is wrong when the text is not such a state
   */
  public static DriftState fromJson(String dataset, String json) {
    DataRecord record;
    try {
      record = DataRecord.fromJson(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
    }
    Object version = record.get("api_version");
    Object fields = record.get("fields");
    if (version != null && !(version instanceof String)) {
      throw new IllegalArgumentException("'api_version' is not text");
    }
    if (!(fields instanceof DataRecord)) {
      throw new IllegalArgumentException("'fields' is not an object of field name to type");
    }
    Map<String, String> known = new TreeMap<>();
    for (String key : ((DataRecord) fields).keys()) {
      Object type = ((DataRecord) fields).get(key);
      if (!(type instanceof String)) {
        throw new IllegalArgumentException("the type of field '" + key + "' is not text");
      }
      known.put(key, (String) type);
    }
    return new DriftState(dataset, known, (String) version);
  }

  /** The state as JSON text. */
  public String toJson() {
    DataRecord.Builder f = DataRecord.builder();
    fields().forEach(f::put);
    return DataRecord.builder().put("api_version", apiVersion).put("fields", f.build()).build().toJson();
  }

  /** The API version the data was last read at, or {@code null} when never known. */
  public String apiVersion() {
    return apiVersion;
  }

  /** The fields known, dotted path to type, sorted by path. */
  public Map<String, String> fields() {
    Map<String, String> all = new TreeMap<>(top);
    nested.forEach((key, children) -> children.forEach((child, type) -> all.put(key + "." + child, type)));
    return all;
  }

  /** The changes seen since this state was loaded, oldest first. */
  public List<SchemaChange> changes() {
    return List.copyOf(changes);
  }

  /** Notes the API version a page was read at; {@code null} (not known) changes nothing. */
  public void readAt(String version) {
    if (version != null) {
      apiVersion = version;
    }
  }

  /** Notes the fields of one record (an object as the source read it). */
  public void observe(DataRecord record, Instant at) {
    for (String key : record.keys()) {
      Object value = record.get(key);
      see(key, null, value, at);
      if (value instanceof DataRecord nested && !key.equals("metadata")) {
        for (String child : nested.keys()) {
          see(key, child, nested.get(child), at);
        }
      }
    }
  }

  /** Notes one field: {@code key} at the top level, or {@code child} inside object {@code key}. */
  private void see(String key, String child, Object value, Instant at) {
    String type = typeOf(value);
    Map<String, String> level = child == null ? top : nested.computeIfAbsent(key, k -> new HashMap<>());
    String name = child == null ? key : child;
    String known = level.get(name);
    if (known == null) {
      if (count >= MAX_FIELDS) {
        return;
      }
      level.put(name, type);
      count++;
      if (!baseline) {
        changes.add(new SchemaChange(dataset, child == null ? key : key + "." + child, null, type, at));
      }
      return;
    }
    if (known.equals(type) || type.equals("null")) {
      return;
    }
    if (known.equals("null")) {
      level.put(name, type);
      return;
    }
    TreeSet<String> types = new TreeSet<>(List.of(known.split("\\|")));
    if (types.add(type)) {
      String joined = String.join("|", types);
      level.put(name, joined);
      if (!baseline) {
        changes.add(new SchemaChange(dataset, child == null ? key : key + "." + child, known, joined, at));
      }
    }
  }

  static String typeOf(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof String) {
      return "string";
    } else if (value instanceof Boolean) {
      return "boolean";
    } else if (value instanceof Number || value instanceof BigInteger || value instanceof BigDecimal) {
      return "number";
    } else if (value instanceof DataRecord || value instanceof Map) {
      return "object";
    } else if (value instanceof Collection) {
      return "array";
    }
    return "string";
  }
}
