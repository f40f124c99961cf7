package dev.sluice.xdm.schema;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import dev.sluice.xdm.JsonValues;
import dev.sluice.xdm.mapping.internal.expr.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An XDM target schema: the fields a mapped record may have, their types and constraints, which
 * are required, the tenant namespace ({@code _acme}) custom fields live under, and the identity
 * fields with at most one primary identity.
 *
 * <p>It is read from and written to JSON Schema in XDM's style: {@code type}/{@code format} plus
 * {@code meta:xdmType} on every field, {@code required} arrays, {@code meta:tenantNamespace} at the
 * root. Identities are written as {@code "meta:identity": {"namespace": "...", "primary": true}} on
 * the field, Sluice's inline form of AEP's identity descriptors.
 *
 * <pre>{@code
 * XdmSchema schema = XdmSchema.builder()
 *     .id("https://ns.adobe.com/acme/schemas/charges")
 *     .tenantId("acme")
 *     .field(XdmField.builder("_acme", XdmType.OBJECT)
 *         .field(XdmField.builder("charges", XdmType.OBJECT)
 *             .field(XdmField.builder("id", XdmType.STRING).required(true).identity("Stripe", true).build())
 *             .field(XdmField.builder("amount", XdmType.LONG).build())
 *             .build())
 *         .build())
 *     .build();
 * Mapping mapping = mappingSet.compile("acme", schema);
 * }</pre>
 *
 * <p>Instances are immutable and safe to share.
 */
public final class XdmSchema {
  private final String id;
  private final String title;
  private final String description;
  private final String tenantId;
  private final XdmField root;

  private XdmSchema(Builder b) {
    this.id = b.id;
    this.title = b.title;
    this.description = b.description;
    this.tenantId = b.tenantId;
    XdmField.Builder root = XdmField.builder("$root", XdmType.OBJECT);
    b.fields.forEach(root::field);
    this.root = root.build();
  }

  /** Returns a builder for a schema. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this schema's values. */
  public Builder toBuilder() {
    Builder b = new Builder().id(id).title(title).description(description).tenantId(tenantId);
    root.fields().forEach(b::field);
    return b;
  }

  /** The schema's id ({@code $id}, a URI), or {@code null}. */
  public String id() {
    return id;
  }

  /** The title, or {@code null}. */
  public String title() {
    return title;
  }

  /** The description, or {@code null}. */
  public String description() {
    return description;
  }

  /** The tenant id without its underscore ({@code acme} for {@code _acme}), or {@code null}. */
  public String tenantId() {
    return tenantId;
  }

  /** The top-level fields, in order. */
  public List<XdmField> fields() {
    return root.fields();
  }

  /** The root as an object field named {@code $root}, holding the top-level fields. */
  public XdmField root() {
    return root;
  }

  /**
   * The field at a dotted path such as {@code _acme.charges.amount} (no escaping, no indexes: each
   * dot is a step into an object, through the items of arrays), or {@code null}.
   */
  public XdmField field(String path) {
    XdmField current = root;
    for (String step : path.split("\\.")) {
      while (current.type() == XdmType.ARRAY) {
        current = current.items();
      }
      XdmField next = current.type() == XdmType.MAP ? current.items() : current.field(step);
      if (next == null) {
        return null;
      }
      current = next;
    }
    return current;
  }

  /** Every identity field, with its dotted path, in schema order. */
  public List<String> identityPaths() {
    List<String> out = new ArrayList<>();
    collectIdentities(root, "", out, false);
    return out;
  }

  /** The dotted path of the primary identity, or {@code null}. */
  public String primaryIdentityPath() {
    List<String> out = new ArrayList<>();
    collectIdentities(root, "", out, true);
    return out.isEmpty() ? null : out.get(0);
  }

  private static void collectIdentities(XdmField f, String prefix, List<String> out, boolean primaryOnly) {
    for (XdmField c : f.fields()) {
      String p = prefix.isEmpty() ? c.name() : prefix + "." + c.name();
      if (c.identityNamespace() != null && (!primaryOnly || c.primaryIdentity())) {
        out.add(p);
      }
      collectIdentities(c, p, out, primaryOnly);
    }
  }

  // ------------------------------------------------------------------ JSON

  /**
   * Reads a schema written as XDM-style JSON Schema.
   *
   * @throws JsonFormatException if the text is not JSON or not a schema, naming the path and the
   *     problem
   */
  public static XdmSchema fromJson(String json) {
    DataRecord doc = DataRecord.fromJson(json);
    List<String> problems = new ArrayList<>();
    Builder b = builder();
    b.id = doc.get("$id") instanceof String ? doc.getString("$id") : null;
    b.title = doc.get("title") instanceof String ? doc.getString("title") : null;
    b.description = doc.get("description") instanceof String ? doc.getString("description") : null;
    Object ns = doc.get("meta:tenantNamespace");
    if (ns instanceof String) {
      String t = (String) ns;
      b.tenantId = t.startsWith("_") ? t.substring(1) : t;
    }
    if (!"object".equals(doc.get("type"))) {
      problems.add("$.type: a schema's root must have type object");
    }
    XdmField root = readField("$root", doc, "$", problems, false);
    if (!problems.isEmpty()) {
      throw new JsonFormatException("Not an XDM schema: " + String.join("; ", problems));
    }
    root.fields().forEach(b::field);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new JsonFormatException("Not a valid XDM schema: " + e.getMessage(), e);
    }
  }

  private static XdmField readField(String name, DataRecord node, String at, List<String> problems, boolean required) {
    XdmType type = null;
    Object xdmType = node.get("meta:xdmType");
    if (xdmType instanceof String) {
      type = XdmType.fromXdmName((String) xdmType);
      if (type == null) {
        problems.add(at + ".meta:xdmType: unknown XDM type '" + xdmType + "'");
        return null;
      }
    } else {
      Object t = node.get("type");
      Object format = node.get("format");
      if ("string".equals(t)) {
        type = "date".equals(format) ? XdmType.DATE
            : "date-time".equals(format) ? XdmType.DATE_TIME
            : "uri".equals(format) || "uri-reference".equals(format) ? XdmType.URI
            : XdmType.STRING;
      } else if ("integer".equals(t)) {
        type = XdmType.LONG;
      } else if ("number".equals(t)) {
        type = XdmType.NUMBER;
      } else if ("boolean".equals(t)) {
        type = XdmType.BOOLEAN;
      } else if ("array".equals(t)) {
        type = XdmType.ARRAY;
      } else if ("object".equals(t)) {
        type = node.has("additionalProperties") && !node.has("properties") ? XdmType.MAP : XdmType.OBJECT;
      } else {
        problems.add(at + ".type: expected string, number, integer, boolean, object or array but found "
            + (t == null ? "nothing" : "'" + t + "'"));
        return null;
      }
    }
    XdmField.Builder b = XdmField.builder(name, type).required(required);
    if (node.get("title") instanceof String) {
      b.title(node.getString("title"));
    }
    if (node.get("description") instanceof String) {
      b.description(node.getString("description"));
    }
    if (node.get("pattern") instanceof String) {
      b.pattern(node.getString("pattern"));
    }
    b.minLength(intOrNull(node.get("minLength")));
    b.maxLength(intOrNull(node.get("maxLength")));
    if (node.get("enum") instanceof List) {
      List<String> values = new ArrayList<>();
      for (Object v : node.getList("enum")) {
        values.add(String.valueOf(v));
      }
      b.enumValues(values);
    }
    BigDecimal min = decimalOrNull(node.get("minimum"));
    BigDecimal max = decimalOrNull(node.get("maximum"));
    // the integer types' own bounds are implied; keep only narrower ones
    if (min != null && !(type.isInteger() && min.compareTo(type.minimum()) == 0)) {
      b.minimum(min);
    }
    if (max != null && !(type.isInteger() && max.compareTo(type.maximum()) == 0)) {
      b.maximum(max);
    }
    if (node.get("meta:identity") instanceof DataRecord) {
      DataRecord id = node.getRecord("meta:identity");
      b.identity(id.getString("namespace"), Boolean.TRUE.equals(id.get("primary")));
    }
    if (type == XdmType.OBJECT) {
      List<Object> requiredNames = node.get("required") instanceof List ? node.getList("required") : List.of();
      Object props = node.get("properties");
      if (props instanceof DataRecord) {
        for (var e : ((DataRecord) props).asMap().entrySet()) {
          if (!(e.getValue() instanceof DataRecord)) {
            problems.add(at + ".properties." + e.getKey() + ": expected an object");
            continue;
          }
          XdmField child =
              readField(e.getKey(), (DataRecord) e.getValue(), at + ".properties." + e.getKey(), problems,
                  requiredNames.contains(e.getKey()));
          if (child != null) {
            b.field(child);
          }
        }
      }
      for (Object r : requiredNames) {
        if (!(props instanceof DataRecord) || !((DataRecord) props).has(String.valueOf(r))) {
          problems.add(at + ".required: '" + r + "' is not a property");
        }
      }
    } else if (type == XdmType.ARRAY || type == XdmType.MAP) {
      Object items = node.get(type == XdmType.ARRAY ? "items" : "additionalProperties");
      if (items instanceof DataRecord) {
        XdmField item = readField(type == XdmType.ARRAY ? "items" : "values", (DataRecord) items, at + ".items", problems, false);
        if (item != null) {
          b.items(item);
        }
      } else {
        problems.add(at + ": an " + type.xdmName() + " needs "
            + (type == XdmType.ARRAY ? "'items'" : "'additionalProperties'") + " with a type");
        return null;
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      problems.add(at + ": " + e.getMessage());
      return null;
    }
  }

  private static Integer intOrNull(Object v) {
    return v instanceof Long ? (Integer) ((Long) v).intValue() : null;
  }

  private static BigDecimal decimalOrNull(Object v) {
    return Values.isNumber(v) ? Values.big((Number) v) : null;
  }

  /** Writes the schema as XDM-style JSON Schema. */
  public String toJson() {
    DataRecord.Builder doc = DataRecord.builder();
    if (id != null) {
      doc.put("$id", id);
    }
    doc.put("$schema", "http://json-schema.org/draft-06/schema#");
    if (title != null) {
      doc.put("title", title);
    }
    if (description != null) {
      doc.put("description", description);
    }
    doc.put("type", "object");
    if (tenantId != null) {
      doc.put("meta:tenantNamespace", "_" + tenantId);
    }
    writeChildren(root, doc);
    return doc.build().toJson();
  }

  private static void writeChildren(XdmField f, DataRecord.Builder node) {
    DataRecord.Builder props = DataRecord.builder();
    List<String> required = new ArrayList<>();
    for (XdmField c : f.fields()) {
      props.put(c.name(), writeField(c));
      if (c.required()) {
        required.add(c.name());
      }
    }
    node.put("properties", props.build());
    if (!required.isEmpty()) {
      node.put("required", required);
    }
  }

  private static DataRecord writeField(XdmField f) {
    DataRecord.Builder n = DataRecord.builder();
    if (f.title() != null) {
      n.put("title", f.title());
    }
    if (f.description() != null) {
      n.put("description", f.description());
    }
    n.put("type", f.type().jsonType());
    if (f.type().format() != null) {
      n.put("format", f.type().format());
    }
    n.put("meta:xdmType", f.type().xdmName());
    if (f.pattern() != null) {
      n.put("pattern", f.pattern());
    }
    if (f.minLength() != null) {
      n.put("minLength", f.minLength());
    }
    if (f.maxLength() != null) {
      n.put("maxLength", f.maxLength());
    }
    if (f.enumValues() != null) {
      n.put("enum", f.enumValues());
    }
    BigDecimal min = f.minimum() != null ? f.minimum() : f.type().minimum();
    BigDecimal max = f.maximum() != null ? f.maximum() : f.type().maximum();
    if (min != null) {
      n.put("minimum", JsonValues.parseNumber(min.toPlainString(), "$"));
    }
    if (max != null) {
      n.put("maximum", JsonValues.parseNumber(max.toPlainString(), "$"));
    }
    if (f.identityNamespace() != null) {
      n.put("meta:identity", DataRecord.builder().put("namespace", f.identityNamespace()).put("primary", f.primaryIdentity()).build());
    }
    if (f.type() == XdmType.OBJECT) {
      writeChildren(f, n);
    } else if (f.type() == XdmType.ARRAY) {
      n.put("items", writeField(f.items()));
    } else if (f.type() == XdmType.MAP) {
      n.put("additionalProperties", writeField(f.items()));
    }
    return n.build();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof XdmSchema)) {
      return false;
    }
    XdmSchema s = (XdmSchema) o;
    return Objects.equals(id, s.id)
        && Objects.equals(title, s.title)
        && Objects.equals(description, s.description)
        && Objects.equals(tenantId, s.tenantId)
        && root.equals(s.root);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, tenantId, root);
  }

  @Override
  public String toString() {
    return "XdmSchema{" + (id == null ? "" : id + ", ") + root.fields() + "}";
  }

  /** Builds an {@link XdmSchema}. */
  public static final class Builder {
    private String id;
    private String title;
    private String description;
    private String tenantId;
    private final List<XdmField> fields = new ArrayList<>();

    private Builder() {}

    /** Sets the schema's id ({@code $id}). */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** Sets the title. */
    public Builder title(String title) {
      this.title = title;
      return this;
    }

    /** Sets the description. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Sets the tenant id, without the underscore ({@code acme}). */
    public Builder tenantId(String tenantId) {
      this.tenantId = tenantId;
      return this;
    }

    /** Adds a top-level field. */
    public Builder field(XdmField field) {
      fields.add(Objects.requireNonNull(field, "field == null"));
      return this;
    }

    /**
     * Returns the schema.
     *
     * @throws IllegalArgumentException if two top-level fields share a name, more than one field is
     *     the primary identity, or the tenant id has characters other than letters, digits and
     *     {@code _}
     */
    public XdmSchema build() {
      if (tenantId != null && !tenantId.matches("[A-Za-z0-9_]+")) {
        throw new IllegalArgumentException("tenant id '" + tenantId + "' must be letters, digits and '_'");
      }
      XdmSchema schema = new XdmSchema(this);
      List<String> primaries = new ArrayList<>();
      collectIdentities(schema.root, "", primaries, true);
      if (primaries.size() > 1) {
        throw new IllegalArgumentException("a schema has at most one primary identity, found " + primaries);
      }
      return schema;
    }
  }
}
