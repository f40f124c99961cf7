package dev.sluice.xdm.schema;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import dev.sluice.xdm.mapping.MappingRule;
import dev.sluice.xdm.mapping.MappingSet;
import dev.sluice.xdm.mapping.internal.Path;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A starting point generated from a source's shape: a target {@link XdmSchema} with the source's
 * fields under {@code _tenant.objectName}, and a {@link MappingSet} that maps every source field
 * onto it (Data Prep's auto-map). Review both before use; the types come from what was observed.
 *
 * <pre>{@code
 * SchemaDraft draft = SchemaDraft.fromExploreSchema(exploreJson, "acme", "charges_data");
 * Files.writeString(Path.of("charges.schema.json"), draft.schema().toJson());
 * Mapping mapping = draft.mappingSet().compile("acme", draft.schema());
 * }</pre>
 *
 * <p>Rules of the generation: an integer becomes {@code long}; a number {@code number}; a boolean
 * {@code boolean}; a string {@code string}; an object with properties an object (mapped field by
 * field); an object with no properties (such as {@code metadata}) a map of strings (mapped whole);
 * an array an array of its item type (mapped whole); a field with no observed type ({@code {}} in an
 * explore schema, or only {@code null}s in samples) a string. The {@code id} field becomes the
 * primary identity in namespace {@code Stripe}.
 */
public final class SchemaDraft {
  private final XdmSchema schema;
  private final MappingSet mappingSet;

  private SchemaDraft(XdmSchema schema, MappingSet mappingSet) {
    this.schema = schema;
    this.mappingSet = mappingSet;
  }

  /** The generated schema. */
  public XdmSchema schema() {
    return schema;
  }

  /** The generated mapping set, one rule per source field, destinations with {@code {TENANT_ID}}. */
  public MappingSet mappingSet() {
    return mappingSet;
  }

  /**
   * Generates from an explore answer ({@code {"format":"hierarchical","schema":{...}}}, or its
   * {@code schema} alone), whose records are wrapped as {@code {"data": {...}}}.
   *
   * @throws JsonFormatException if the text is not an explore schema
   */
  public static SchemaDraft fromExploreSchema(String exploreJson, String tenantId, String objectName) {
    DataRecord doc = DataRecord.fromJson(exploreJson);
    DataRecord schema = doc.get("schema") instanceof DataRecord ? doc.getRecord("schema") : doc;
    Object data = schema.get("properties") instanceof DataRecord ? schema.getRecord("properties").get("data") : null;
    if (!(data instanceof DataRecord) || !(((DataRecord) data).get("properties") instanceof DataRecord)) {
      throw new JsonFormatException("Not an explore schema: expected $.schema.properties.data.properties");
    }
    Shape shape = shapeOfJsonSchema((DataRecord) data);
    return build(shape, tenantId, objectName);
  }

  /** Generates from sample records (Stripe objects), merging what every sample shows. */
  public static SchemaDraft fromSamples(List<DataRecord> samples, String tenantId, String objectName) {
    Shape shape = new Shape(Kind.OBJECT);
    for (DataRecord r : samples) {
      shape.merge(shapeOfValue(r));
    }
    return build(shape, tenantId, objectName);
  }

  // ------------------------------------------------------------------ shapes

  private enum Kind { UNKNOWN, STRING, LONG, NUMBER, BOOLEAN, OBJECT, MAP, ARRAY }

  private static final class Shape {
    Kind kind;
    final Map<String, Shape> fields = new LinkedHashMap<>();
    Shape items;

    Shape(Kind kind) {
      this.kind = kind;
    }

    void merge(Shape other) {
      if (other.kind == Kind.UNKNOWN) {
        return;
      }
      if (kind == Kind.UNKNOWN) {
        kind = other.kind;
      } else if (kind == Kind.LONG && other.kind == Kind.NUMBER) {
        kind = Kind.NUMBER;
      } else if (kind == Kind.MAP && other.kind == Kind.OBJECT && !other.fields.isEmpty()) {
        kind = Kind.OBJECT;
      } else if (kind != other.kind && !(kind == Kind.NUMBER && other.kind == Kind.LONG)
          && !(kind == Kind.OBJECT && other.kind == Kind.MAP)) {
        kind = Kind.STRING; // disagreeing samples: fall back to text
        fields.clear();
        items = null;
        return;
      }
      for (Map.Entry<String, Shape> e : other.fields.entrySet()) {
        fields.computeIfAbsent(e.getKey(), k -> new Shape(Kind.UNKNOWN)).merge(e.getValue());
      }
      if (other.items != null) {
        if (items == null) {
          items = new Shape(Kind.UNKNOWN);
        }
        items.merge(other.items);
      }
    }
  }

  private static Shape shapeOfJsonSchema(DataRecord node) {
    Object type = node.get("type");
    if ("object".equals(type)) {
      Object props = node.get("properties");
      if (!(props instanceof DataRecord) || ((DataRecord) props).isEmpty()) {
        return new Shape(Kind.MAP);
      }
      Shape s = new Shape(Kind.OBJECT);
      for (Map.Entry<String, Object> e : ((DataRecord) props).asMap().entrySet()) {
        s.fields.put(e.getKey(),
            e.getValue() instanceof DataRecord ? shapeOfJsonSchema((DataRecord) e.getValue()) : new Shape(Kind.UNKNOWN));
      }
      return s;
    }
    if ("array".equals(type)) {
      Shape s = new Shape(Kind.ARRAY);
      s.items = node.get("items") instanceof DataRecord ? shapeOfJsonSchema(node.getRecord("items")) : new Shape(Kind.UNKNOWN);
      return s;
    }
    if ("integer".equals(type)) {
      return new Shape(Kind.LONG);
    }
    if ("number".equals(type)) {
      return new Shape(Kind.NUMBER);
    }
    if ("boolean".equals(type)) {
      return new Shape(Kind.BOOLEAN);
    }
    if ("string".equals(type)) {
      return new Shape(Kind.STRING);
    }
    return new Shape(Kind.UNKNOWN);
  }

  private static Shape shapeOfValue(Object v) {
    if (v instanceof DataRecord) {
      DataRecord r = (DataRecord) v;
      if (r.isEmpty()) {
        return new Shape(Kind.MAP);
      }
      Shape s = new Shape(Kind.OBJECT);
      for (Map.Entry<String, Object> e : r.asMap().entrySet()) {
        s.fields.put(e.getKey(), shapeOfValue(e.getValue()));
      }
      return s;
    }
    if (v instanceof List) {
      Shape s = new Shape(Kind.ARRAY);
      s.items = new Shape(Kind.UNKNOWN);
      for (Object item : (List<?>) v) {
        s.items.merge(shapeOfValue(item));
      }
      return s;
    }
    if (v instanceof String) {
      return new Shape(Kind.STRING);
    }
    if (v instanceof Boolean) {
      return new Shape(Kind.BOOLEAN);
    }
    if (v instanceof BigDecimal) {
      return new Shape(Kind.NUMBER);
    }
    if (v instanceof Long || v instanceof BigInteger) {
      return new Shape(Kind.LONG);
    }
    return new Shape(Kind.UNKNOWN);
  }

  // ------------------------------------------------------------------ generation

  private static SchemaDraft build(Shape data, String tenantId, String objectName) {
    Objects.requireNonNull(tenantId, "tenantId == null");
    Objects.requireNonNull(objectName, "objectName == null");
    List<MappingRule> rules = new ArrayList<>();
    XdmField.Builder object = XdmField.builder(objectName, XdmType.OBJECT);
    String destPrefix = "_{TENANT_ID}." + Path.escape(objectName);
    for (Map.Entry<String, Shape> e : data.fields.entrySet()) {
      object.field(field(e.getKey(), e.getValue(), "data." + Path.escape(e.getKey()),
          destPrefix + "." + Path.escape(e.getKey()), rules, true));
    }
    XdmSchema schema =
        XdmSchema.builder()
            .title(objectName)
            .description("Generated by Sluice from the source's shape; review the types before use.")
            .tenantId(tenantId)
            .field(XdmField.builder("_" + tenantId, XdmType.OBJECT).field(object.build()).build())
            .build();
    MappingSet.Builder set = MappingSet.builder().xdmVersion("1.0");
    rules.forEach(set::add);
    return new SchemaDraft(schema, set.build());
  }

  private static XdmField field(String name, Shape s, String source, String dest, List<MappingRule> rules, boolean top) {
    XdmField.Builder b;
    switch (s.kind) {
      case OBJECT:
        b = XdmField.builder(name, XdmType.OBJECT);
        for (Map.Entry<String, Shape> e : s.fields.entrySet()) {
          String key = Path.escape(e.getKey());
          b.field(field(e.getKey(), e.getValue(), source + "." + key, dest + "." + key, rules, false));
        }
        return b.build();
      case MAP:
        b = XdmField.builder(name, XdmType.MAP).items(XdmField.builder("values", XdmType.STRING).build());
        break;
      case ARRAY:
        b = XdmField.builder(name, XdmType.ARRAY).items(itemField(s.items));
        break;
      case LONG:
        b = XdmField.builder(name, XdmType.LONG);
        break;
      case NUMBER:
        b = XdmField.builder(name, XdmType.NUMBER);
        break;
      case BOOLEAN:
        b = XdmField.builder(name, XdmType.BOOLEAN);
        break;
      default:
        b = XdmField.builder(name, XdmType.STRING);
        break;
    }
    boolean identity = top && name.equals("id") && (s.kind == Kind.STRING || s.kind == Kind.UNKNOWN);
    if (identity) {
      b.identity("Stripe", true);
    }
    rules.add(MappingRule.attribute(source, dest).withIdentity(identity));
    return b.build();
  }

  private static XdmField itemField(Shape s) {
    if (s == null) {
      return XdmField.builder("items", XdmType.STRING).build();
    }
    List<MappingRule> ignored = new ArrayList<>();
    XdmField f = field("items", s, "data", "x", ignored, false);
    return f;
  }
}
