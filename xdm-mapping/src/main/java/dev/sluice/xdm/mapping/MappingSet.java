package dev.sluice.xdm.mapping;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import dev.sluice.xdm.JsonValues;
import dev.sluice.xdm.mapping.internal.Compiler;
import dev.sluice.xdm.mapping.internal.SchemaChecker;
import dev.sluice.xdm.schema.XdmSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ordered set of {@link MappingRule}s that turns Stripe objects into XDM records, read from and
 * written to Adobe Experience Platform's mapping-set JSON, or built in code.
 *
 * <p>Both JSON forms AEP uses are read: the Flow Service tutorial form, whose rules hold {@code
 * sourceAttribute}, {@code destinationXdmPath}, {@code identity} and {@code version}, and the
 * current Data Prep form, whose rules hold {@code sourceType} ({@code ATTRIBUTE}, {@code STATIC} or
 * {@code EXPRESSION}), {@code source}, {@code destination}, {@code name} and {@code description}.
 *
 * <pre>{@code
 * MappingSet set = MappingSet.fromJson(Files.readString(Path.of("charges-mapping.json")));
 * Mapping mapping = set.compile("acme");          // binds _{ORG_ID} / _{TENANT_ID} to _acme
 * MappingResult result = mapping.apply(charge);   // charge: a DataRecord of a Stripe charge
 * result.record();   // {"_acme":{"charges_data":{"id":"ch_...", ...}}}
 * }</pre>
 *
 * <p>Source paths start with {@code data.}: the Stripe object is read as {@code {"data": object}},
 * as AEP presents it. A source value that is absent leaves the destination absent; a JSON {@code
 * null} is written as {@code null}. A rule copying a whole object and rules writing deeper into the
 * same destination are merged; where they disagree on a value, the deeper destination wins.
 *
 * <p>A {@code MappingSet} is an immutable value. {@link #compile} checks it and turns it into a
 * {@link Mapping} that is fast, immutable and safe to share between threads: compile once, apply
 * to every record.
 */
public final class MappingSet {

  /** The two JSON shapes of a mapping set's rules. */
  public enum Format {
    /**
     * The Flow Service tutorial form: {@code sourceAttribute}, {@code destinationXdmPath}, {@code
     * identity}, {@code version}. Rules that are not attributes also carry {@code sourceType}.
     */
    SOURCE_ATTRIBUTE,
    /**
     * The current Data Prep form: {@code sourceType}, {@code source}, {@code destination}, {@code
     * name}, {@code description}.
     */
    SOURCE_TYPE
  }

  private final int version;
  private final String xdmSchema;
  private final String xdmVersion;
  private final List<MappingRule> mappings;
  private final Format format;

  private MappingSet(Builder b) {
    this.version = b.version;
    this.xdmSchema = b.xdmSchema;
    this.xdmVersion = b.xdmVersion;
    this.mappings = List.copyOf(b.mappings);
    this.format = b.format;
  }

  /** Returns a builder for a mapping set written in code. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this set's values and rules, to make a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.version = version;
    b.xdmSchema = xdmSchema;
    b.xdmVersion = xdmVersion;
    b.mappings.addAll(mappings);
    b.format = format;
    return b;
  }

  /**
   * Reads a mapping set in either of AEP's JSON forms. Unknown keys (such as {@code id} or {@code
   * createdDate} in an API answer) are ignored.
   *
   * @throws MappingSpecException if the text is not JSON or not a mapping set, listing every
   *     problem with its JSON path
   */
  public static MappingSet fromJson(String json) {
    Objects.requireNonNull(json, "json == null");
    DataRecord root;
    try {
      root = DataRecord.fromJson(json);
    } catch (JsonFormatException e) {
      throw new MappingSpecException(List.of(e.getMessage()));
    }
    List<String> problems = new ArrayList<>();
    Builder b = new Builder();
    Object version = root.get("version");
    if (root.has("version")) {
      Integer v = intValue(version);
      if (v == null) {
        problems.add("$.version: expected an integer but found " + JsonValues.describe(version));
      } else {
        b.version = v;
      }
    }
    b.xdmSchema = optionalString(root, "xdmSchema", "$", problems);
    b.xdmVersion = optionalString(root, "xdmVersion", "$", problems);
    Object schemaRefId = root.getPath("outputSchema.schemaRef.id"); // the API's answer names it here
    if (b.xdmSchema == null && schemaRefId instanceof String) {
      b.xdmSchema = (String) schemaRefId;
    }
    Object list = root.get("mappings");
    boolean sawSourceType = false;
    boolean sawSourceAttribute = false;
    if (!root.has("mappings")) {
      problems.add("$.mappings: missing; a mapping set needs an array of mappings");
    } else if (!(list instanceof List)) {
      problems.add("$.mappings: expected an array but found " + JsonValues.describe(list));
    } else {
      List<?> items = (List<?>) list;
      for (int i = 0; i < items.size(); i++) {
        String at = "$.mappings[" + i + "]";
        Object item = items.get(i);
        if (!(item instanceof DataRecord)) {
          problems.add(at + ": expected an object but found " + JsonValues.describe(item));
          continue;
        }
        DataRecord m = (DataRecord) item;
        int before = problems.size();
        String sourceKey = m.has("sourceAttribute") ? "sourceAttribute" : "source";
        String destKey = m.has("destinationXdmPath") ? "destinationXdmPath" : "destination";
        sawSourceAttribute |= m.has("sourceAttribute") || m.has("destinationXdmPath");
        sawSourceType |= m.has("source") || m.has("destination");
        MappingRule.SourceType type = MappingRule.SourceType.ATTRIBUTE;
        if (m.has("sourceType")) {
          Object t = m.get("sourceType");
          type = t instanceof String ? MappingRule.SourceType.parse((String) t) : null;
          if (type == null) {
            problems.add(
                at + ".sourceType: expected ATTRIBUTE, STATIC or EXPRESSION but found "
                    + (t instanceof String ? "'" + t + "'" : JsonValues.describe(t)));
          }
        }
        String source =
            type == MappingRule.SourceType.STATIC && "".equals(m.get(sourceKey))
                ? "" // an empty constant is a value
                : requiredString(m, sourceKey, at, problems, "sourceAttribute or source");
        String dest = requiredString(m, destKey, at, problems, "destinationXdmPath or destination");
        boolean identity = false;
        if (m.has("identity") && m.get("identity") != null) {
          if (m.get("identity") instanceof Boolean) {
            identity = m.getBoolean("identity");
          } else {
            problems.add(at + ".identity: expected a boolean but found " + JsonValues.describe(m.get("identity")));
          }
        }
        int ruleVersion = 0;
        if (m.has("version") && m.get("version") != null) {
          Integer v = intValue(m.get("version"));
          if (v == null) {
            problems.add(at + ".version: expected an integer but found " + JsonValues.describe(m.get("version")));
          } else {
            ruleVersion = v;
          }
        }
        String name = optionalString(m, "name", at, problems);
        String description = optionalString(m, "description", at, problems);
        if (problems.size() == before) {
          b.add(
              MappingRule.of(type, source, dest)
                  .withIdentity(identity)
                  .withName(name)
                  .withDescription(description)
                  .withVersion(ruleVersion));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new MappingSpecException(problems);
    }
    b.format = sawSourceType && !sawSourceAttribute ? Format.SOURCE_TYPE : Format.SOURCE_ATTRIBUTE;
    return b.build();
  }

  private static Integer intValue(Object v) {
    if (v instanceof Long && (Long) v == ((Long) v).intValue()) {
      return ((Long) v).intValue();
    }
    if (v instanceof BigInteger || v instanceof BigDecimal) {
      try {
        return new BigDecimal(v.toString()).intValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    return null;
  }

  private static String optionalString(DataRecord r, String key, String at, List<String> problems) {
    Object v = r.get(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    problems.add(at + "." + key + ": expected a string but found " + JsonValues.describe(v));
    return null;
  }

  private static String requiredString(
      DataRecord r, String key, String at, List<String> problems, String what) {
    Object v = r.get(key);
    if (!r.has(key)) {
      problems.add(at + ": missing " + what);
    } else if (!(v instanceof String)) {
      problems.add(at + "." + key + ": expected a string but found " + JsonValues.describe(v));
    } else if (((String) v).isEmpty()) {
      problems.add(at + "." + key + ": is empty");
    } else {
      return (String) v;
    }
    return null;
  }

  /** The rules, in order. */
  public List<MappingRule> mappings() {
    return mappings;
  }

  /** The mapping set's version number ({@code 0} unless given). */
  public int version() {
    return version;
  }

  /** The target XDM schema's id (a URI), or {@code null}. */
  public String xdmSchema() {
    return xdmSchema;
  }

  /** The target schema's version, such as {@code "1.0"}, or {@code null}. */
  public String xdmVersion() {
    return xdmVersion;
  }

  /** The JSON form this set was read in, and that {@link #toJson()} writes. */
  public Format format() {
    return format;
  }

  /**
   * Checks the set and compiles it into a {@link Mapping}, binding the tenant placeholders {@code
   * {TENANT_ID}} and {@code {ORG_ID}} in destinations to {@code tenantId} (so {@code
   * _{ORG_ID}.charges_data.id} becomes {@code _acme.charges_data.id} for tenant {@code acme}).
   *
   * @param tenantId the tenant namespace without its leading underscore (letters, digits, {@code
   *     _}); may be {@code null} when no destination holds a placeholder
   * @throws MappingSpecException listing every problem: a path that does not parse, a source path
   *     not starting with {@code data}, a destination written twice, a bad expression, a missing
   *     or invalid tenant id
   */
  public Mapping compile(String tenantId) {
    return Compiler.compile(mappings, tenantId, null, null);
  }

  /**
   * Compiles the set against a target schema: like {@link #compile(String)}, and also refuses a
   * destination the schema does not have. Every output record is then converted to the schema's
   * types with Data Prep's rules and checked:
   *
   * <ul>
   *   <li>strings from numbers and booleans; booleans from {@code true/false}, {@code yes/no},
   *       {@code y/n}, {@code t/f}, {@code on/off}, {@code 1/0}; numbers from numeric text; dates
   *       and date-times from ISO-8601 and a few common patterns;
   *   <li>a value that cannot be converted is set to {@code null} with a {@code
   *       CONVERSION_FAILED} warning, and a field the schema lacks (inside a whole-object copy) is
   *       left out with a {@code FIELD_NOT_IN_SCHEMA} warning;
   *   <li>a value outside the schema's constraints (pattern, length, enum, bounds, the range of
   *       its integer type) rejects the record ({@code INVALID_VALUE}), as does a required field
   *       that is missing or null ({@code REQUIRED_FIELD_MISSING}).
   * </ul>
   *
   * @param tenantId the tenant id; if {@code null}, the schema's tenant is used
   * @throws MappingSpecException listing every problem, destinations outside the schema included
   */
  public Mapping compile(String tenantId, XdmSchema schema) {
    Objects.requireNonNull(schema, "schema == null");
    String tenant = tenantId != null ? tenantId : schema.tenantId();
    if (tenantId != null && schema.tenantId() != null && !tenantId.equals(schema.tenantId())) {
      throw new MappingSpecException(
          List.of("tenant id '" + tenantId + "' is not the schema's tenant '" + schema.tenantId() + "'"));
    }
    SchemaChecker checker = new SchemaChecker(schema);
    return Compiler.compile(mappings, tenant, checker, checker);
  }

  /**
   * Checks every rule, as Data Prep's validate call does, and returns one verdict per rule, in
   * order. Unlike {@link #compile}, it does not throw for a bad rule.
   *
   * @param tenantId the tenant id to bind, or {@code null}
   * @param schema the target schema to check destinations against, or {@code null}
   * @throws MappingSpecException only for problems of no single rule (an invalid tenant id)
   */
  public List<RuleValidation> validate(String tenantId, XdmSchema schema) {
    String tenant = tenantId != null || schema == null ? tenantId : schema.tenantId();
    Compiler.Analysis a =
        Compiler.analyze(mappings, tenant, schema == null ? null : new SchemaChecker(schema));
    if (!a.global.isEmpty()) {
      throw new MappingSpecException(a.global);
    }
    List<RuleValidation> out = new ArrayList<>(mappings.size());
    for (int i = 0; i < mappings.size(); i++) {
      out.add(new RuleValidation(i, mappings.get(i), a.perRule.get(i)));
    }
    return out;
  }

  /** Checks every rule without a schema; see {@link #validate(String, XdmSchema)}. */
  public List<RuleValidation> validate(String tenantId) {
    return validate(tenantId, null);
  }

  /**
   * Maps sample records and returns what each became, with its errors and warnings, as Data Prep's
   * preview does: one {@link MappingResult} per record, in order.
   *
   * @param schema the target schema, or {@code null} for none
   * @throws MappingSpecException if the set does not compile
   */
  public List<MappingResult> preview(String tenantId, XdmSchema schema, List<DataRecord> records) {
    Mapping mapping = schema == null ? compile(tenantId) : compile(tenantId, schema);
    List<MappingResult> out = new ArrayList<>(records.size());
    for (DataRecord r : records) {
      out.add(mapping.apply(r));
    }
    return out;
  }

  /** Writes the set as JSON in the {@link #format()} it was read in (or built with). */
  public String toJson() {
    return toJson(format);
  }

  /** Writes the set as JSON in the given form. */
  public String toJson(Format format) {
    Objects.requireNonNull(format, "format == null");
    DataRecord.Builder root = DataRecord.builder().put("version", version);
    if (xdmSchema != null) {
      root.put("xdmSchema", xdmSchema);
    }
    if (xdmVersion != null) {
      root.put("xdmVersion", xdmVersion);
    }
    List<DataRecord> rules = new ArrayList<>(mappings.size());
    for (MappingRule r : mappings) {
      DataRecord.Builder m = DataRecord.builder();
      if (format == Format.SOURCE_ATTRIBUTE) {
        if (r.sourceType() != MappingRule.SourceType.ATTRIBUTE) {
          m.put("sourceType", r.sourceType().name());
        }
        m.put("sourceAttribute", r.source())
            .put("destinationXdmPath", r.destination())
            .put("identity", r.identity())
            .put("version", r.version());
      } else {
        m.put("sourceType", r.sourceType().name())
            .put("source", r.source())
            .put("destination", r.destination());
        if (r.identity()) {
          m.put("identity", true);
        }
      }
      if (r.name() != null) {
        m.put("name", r.name());
      }
      if (r.description() != null) {
        m.put("description", r.description());
      }
      rules.add(m.build());
    }
    root.put("mappings", rules);
    return root.build().toJson();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MappingSet)) {
      return false;
    }
    MappingSet s = (MappingSet) o;
    return version == s.version
        && Objects.equals(xdmSchema, s.xdmSchema)
        && Objects.equals(xdmVersion, s.xdmVersion)
        && mappings.equals(s.mappings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, xdmSchema, xdmVersion, mappings);
  }

  @Override
  public String toString() {
    return "MappingSet{" + mappings.size() + " mappings" + (xdmSchema == null ? "" : ", " + xdmSchema) + "}";
  }

  /**
   * Builds a {@link MappingSet} in code, rule by rule, in the order they are added.
   *
   * <pre>{@code
   * MappingSet set = MappingSet.builder()
   *     .map("data.id", "_{TENANT_ID}.charges.id")
   *     .constant("stripe", "_{TENANT_ID}.charges.origin")
   *     .expression("lower(data.currency)", "_{TENANT_ID}.charges.currency")
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private int version;
    private String xdmSchema;
    private String xdmVersion;
    private final List<MappingRule> mappings = new ArrayList<>();
    private Format format = Format.SOURCE_TYPE;

    private Builder() {}

    /** Adds a rule copying a source path to a destination. */
    public Builder map(String sourcePath, String destination) {
      return add(MappingRule.attribute(sourcePath, destination));
    }

    /** Adds a rule writing a constant to a destination. */
    public Builder constant(String value, String destination) {
      return add(MappingRule.constant(value, destination));
    }

    /** Adds a calculated field: an expression written to a destination. */
    public Builder expression(String expression, String destination) {
      return add(MappingRule.expression(expression, destination));
    }

    /** Adds a rule. */
    public Builder add(MappingRule rule) {
      mappings.add(Objects.requireNonNull(rule, "rule == null"));
      return this;
    }

    /** Sets the mapping set's version number. */
    public Builder version(int version) {
      this.version = version;
      return this;
    }

    /** Sets the target schema's id; may be {@code null}. */
    public Builder xdmSchema(String xdmSchema) {
      this.xdmSchema = xdmSchema;
      return this;
    }

    /** Sets the target schema's version; may be {@code null}. */
    public Builder xdmVersion(String xdmVersion) {
      this.xdmVersion = xdmVersion;
      return this;
    }

    /** Sets the JSON form {@link MappingSet#toJson()} writes; {@link Format#SOURCE_TYPE} by default. */
    public Builder format(Format format) {
      this.format = Objects.requireNonNull(format, "format == null");
      return this;
    }

    /** Returns the set. Its rules are checked by {@link MappingSet#compile}. */
    public MappingSet build() {
      return new MappingSet(this);
    }
  }
}
