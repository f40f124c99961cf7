package dev.sluice.xdm.mapping;

import java.util.Locale;
import java.util.Objects;

/**
 * One rule of a {@link MappingSet}: where a value comes from (a source attribute, a constant or an
 * expression) and the destination path it is written to.
 *
 * <p>Paths use Data Prep's syntax: dots between fields ({@code data.outcome.type}), {@code [0]} for
 * an array element, {@code [*]} for every element, a backslash to escape a special character in a
 * field name ({@code address.street\.name}) and {@code ${...}} around a field name with spaces or
 * other special characters ({@code ${First Name}}). Source paths start with {@code data.}: the
 * Stripe object is read as {@code {"data": object}}, as Adobe's Stripe source presents it.
 * Destinations may contain the tenant placeholder {@code {TENANT_ID}} (or {@code {ORG_ID}}), bound
 * by {@link MappingSet#compile(String)}.
 *
 * <pre>{@code
 * MappingRule id = MappingRule.attribute("data.id", "_{TENANT_ID}.charges.id").withIdentity(true);
 * MappingRule kind = MappingRule.constant("stripe", "_{TENANT_ID}.charges.origin");
 * MappingRule upper = MappingRule.expression("upper(data.currency)", "_{TENANT_ID}.charges.currency");
 * }</pre>
 *
 * <p>Instances are immutable; the {@code with...} methods return changed copies.
 */
public final class MappingRule {

  /** Where a rule's value comes from, as in Data Prep's {@code sourceType}. */
  public enum SourceType {
    /** A path into the source record, such as {@code data.amount}. */
    ATTRIBUTE,
    /** A constant string, written as it is (or converted to the destination's schema type). */
    STATIC,
    /** A calculated field: an expression such as {@code lower(data.currency)}. */
    EXPRESSION;

    /**
     * Reads a source type as Data Prep writes it, ignoring case; also accepts the older media
     * types {@code text/x.schema-path} (attribute) and {@code text/x.aep-xl} (expression).
     *
     * @return the type, or {@code null} if the text names none
     */
    public static SourceType parse(String text) {
      if (text == null) {
        return null;
      }
      switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "attribute":
        case "text/x.schema-path":
          return ATTRIBUTE;
        case "static":
        case "text/plain":
          return STATIC;
        case "expression":
        case "text/x.aep-xl":
          return EXPRESSION;
        default:
          return null;
      }
    }
  }

  private final SourceType sourceType;
  private final String source;
  private final String destination;
  private final boolean identity;
  private final String name;
  private final String description;
  private final int version;

  private MappingRule(
      SourceType sourceType,
      String source,
      String destination,
      boolean identity,
      String name,
      String description,
      int version) {
    this.sourceType = Objects.requireNonNull(sourceType, "sourceType == null");
    this.source = Objects.requireNonNull(source, "source == null");
    this.destination = Objects.requireNonNull(destination, "destination == null");
    this.identity = identity;
    this.name = name;
    this.description = description;
    this.version = version;
  }

  /** A rule copying the value at a source path to a destination path. */
  public static MappingRule attribute(String sourcePath, String destination) {
    return new MappingRule(SourceType.ATTRIBUTE, sourcePath, destination, false, null, null, 0);
  }

  /** A rule writing a constant string to a destination path. */
  public static MappingRule constant(String value, String destination) {
    return new MappingRule(SourceType.STATIC, value, destination, false, null, null, 0);
  }

  /** A rule writing the value of an expression (a calculated field) to a destination path. */
  public static MappingRule expression(String expression, String destination) {
    return new MappingRule(SourceType.EXPRESSION, expression, destination, false, null, null, 0);
  }

  /** A rule of any source type. */
  public static MappingRule of(SourceType sourceType, String source, String destination) {
    return new MappingRule(sourceType, source, destination, false, null, null, 0);
  }

  /** Returns a copy marked (or not) as an identity field, like Data Prep's {@code identity}. */
  public MappingRule withIdentity(boolean identity) {
    return new MappingRule(sourceType, source, destination, identity, name, description, version);
  }

  /** Returns a copy with a name (Data Prep shows it for calculated fields); may be {@code null}. */
  public MappingRule withName(String name) {
    return new MappingRule(sourceType, source, destination, identity, name, description, version);
  }

  /** Returns a copy with a description; may be {@code null}. */
  public MappingRule withDescription(String description) {
    return new MappingRule(sourceType, source, destination, identity, name, description, version);
  }

  /** Returns a copy with the rule's version number (AEP writes {@code 0}). */
  public MappingRule withVersion(int version) {
    return new MappingRule(sourceType, source, destination, identity, name, description, version);
  }

  /** Where the value comes from. */
  public SourceType sourceType() {
    return sourceType;
  }

  /** The source path, the constant, or the expression text, depending on {@link #sourceType()}. */
  public String source() {
    return source;
  }

  /** The destination path, possibly with a tenant placeholder. */
  public String destination() {
    return destination;
  }

  /** Whether the destination is marked as an identity. */
  public boolean identity() {
    return identity;
  }

  /** The rule's name, or {@code null}. */
  public String name() {
    return name;
  }

  /** The rule's description, or {@code null}. */
  public String description() {
    return description;
  }

  /** The rule's version number. */
  public int version() {
    return version;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MappingRule)) {
      return false;
    }
    MappingRule r = (MappingRule) o;
    return sourceType == r.sourceType
        && source.equals(r.source)
        && destination.equals(r.destination)
        && identity == r.identity
        && Objects.equals(name, r.name)
        && Objects.equals(description, r.description)
        && version == r.version;
  }

  @Override
  public int hashCode() {
    return Objects.hash(sourceType, source, destination, identity, name, description, version);
  }

  /** A short description such as {@code ATTRIBUTE data.id -> _{TENANT_ID}.charges.id}. */
  @Override
  public String toString() {
    return sourceType + " " + source + " -> " + destination + (identity ? " (identity)" : "");
  }
}
