package dev.sluice.xdm.schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One field of an {@link XdmSchema}: its name, {@link XdmType}, constraints, and for objects,
 * arrays and maps the fields or item type inside.
 *
 * <pre>{@code
 * XdmField amount = XdmField.builder("amount", XdmType.LONG).required(true).minimum(0).build();
 * XdmField status = XdmField.builder("status", XdmType.STRING)
 *     .enumValues(List.of("succeeded", "pending", "failed")).build();
 * XdmField charge = XdmField.builder("charges", XdmType.OBJECT).field(amount).field(status).build();
 * }</pre>
 *
 * <p>Instances are immutable; use {@link #toBuilder()} for a changed copy.
 */
public final class XdmField {
  private final String name;
  private final XdmType type;
  private final String title;
  private final String description;
  private final boolean required;
  private final String pattern;
  private final Integer minLength;
  private final Integer maxLength;
  private final List<String> enumValues;
  private final BigDecimal minimum;
  private final BigDecimal maximum;
  private final List<XdmField> fields;
  private final XdmField items;
  private final String identityNamespace;
  private final boolean primaryIdentity;

  private XdmField(Builder b) {
    this.name = b.name;
    this.type = b.type;
    this.title = b.title;
    this.description = b.description;
    this.required = b.required;
    this.pattern = b.pattern;
    this.minLength = b.minLength;
    this.maxLength = b.maxLength;
    this.enumValues = b.enumValues == null ? null : List.copyOf(b.enumValues);
    this.minimum = b.minimum;
    this.maximum = b.maximum;
    this.fields = List.copyOf(b.fields);
    this.items = b.items;
    this.identityNamespace = b.identityNamespace;
    this.primaryIdentity = b.primaryIdentity;
  }

  /** Starts a field of the given name and type. */
  public static Builder builder(String name, XdmType type) {
    return new Builder(name, type);
  }

  /** Returns a builder holding this field's values. */
  public Builder toBuilder() {
    Builder b = new Builder(name, type);
    b.title = title;
    b.description = description;
    b.required = required;
    b.pattern = pattern;
    b.minLength = minLength;
    b.maxLength = maxLength;
    b.enumValues = enumValues;
    b.minimum = minimum;
    b.maximum = maximum;
    b.fields.addAll(fields);
    b.items = items;
    b.identityNamespace = identityNamespace;
    b.primaryIdentity = primaryIdentity;
    return b;
  }

  /** The field's name (the key in its parent object). */
  public String name() {
    return name;
  }

  /** The field's type. */
  public XdmType type() {
    return type;
  }

  /** A display title, or {@code null}. */
  public String title() {
    return title;
  }

  /** A description, or {@code null}. */
  public String description() {
    return description;
  }

  /** Whether the parent object must have this field, with a non-null value. */
  public boolean required() {
    return required;
  }

  /** A regular expression a string must match (whole), or {@code null}. */
  public String pattern() {
    return pattern;
  }

  /** The least length of a string, or {@code null}. */
  public Integer minLength() {
    return minLength;
  }

  /** The greatest length of a string, or {@code null}. */
  public Integer maxLength() {
    return maxLength;
  }

  /** The values a string may take, or {@code null} for any. */
  public List<String> enumValues() {
    return enumValues;
  }

  /** The least value of a number, or {@code null}; integer types also have their type's bounds. */
  public BigDecimal minimum() {
    return minimum;
  }

  /** The greatest value of a number, or {@code null}. */
  public BigDecimal maximum() {
    return maximum;
  }

  /** The fields of an object, in order; empty for other types. */
  public List<XdmField> fields() {
    return fields;
  }

  /** The field of that name inside an object, or {@code null}. */
  public XdmField field(String fieldName) {
    for (XdmField f : fields) {
      if (f.name.equals(fieldName)) {
        return f;
      }
    }
    return null;
  }

  /** The item type of an array, or the value type of a map; {@code null} otherwise. */
  public XdmField items() {
    return items;
  }

  /** The identity namespace code if this field is an identity (such as {@code "Email"}), or null. */
  public String identityNamespace() {
    return identityNamespace;
  }

  /** Whether this field is the schema's primary identity. */
  public boolean primaryIdentity() {
    return primaryIdentity;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof XdmField)) {
      return false;
    }
    XdmField f = (XdmField) o;
    return name.equals(f.name)
        && type == f.type
        && Objects.equals(title, f.title)
        && Objects.equals(description, f.description)
        && required == f.required
        && Objects.equals(pattern, f.pattern)
        && Objects.equals(minLength, f.minLength)
        && Objects.equals(maxLength, f.maxLength)
        && Objects.equals(enumValues, f.enumValues)
        && compare(minimum, f.minimum)
        && compare(maximum, f.maximum)
        && fields.equals(f.fields)
        && Objects.equals(items, f.items)
        && Objects.equals(identityNamespace, f.identityNamespace)
        && primaryIdentity == f.primaryIdentity;
  }

  private static boolean compare(BigDecimal a, BigDecimal b) {
    return a == null ? b == null : b != null && a.compareTo(b) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, required, fields, items);
  }

  @Override
  public String toString() {
    return name + ":" + type.xdmName() + (required ? " (required)" : "");
  }

  /** Builds an {@link XdmField}. */
  public static final class Builder {
    private final String name;
    private final XdmType type;
    private String title;
    private String description;
    private boolean required;
    private String pattern;
    private Integer minLength;
    private Integer maxLength;
    private List<String> enumValues;
    private BigDecimal minimum;
    private BigDecimal maximum;
    private final List<XdmField> fields = new ArrayList<>();
    private XdmField items;
    private String identityNamespace;
    private boolean primaryIdentity;

    private Builder(String name, XdmType type) {
      this.name = Objects.requireNonNull(name, "name == null");
      this.type = Objects.requireNonNull(type, "type == null");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name is empty");
      }
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

    /** Makes the field required in its parent object. */
    public Builder required(boolean required) {
      this.required = required;
      return this;
    }

    /** Sets a pattern a string must match as a whole. */
    public Builder pattern(String pattern) {
      this.pattern = pattern;
      return this;
    }

    /** Sets the least length of a string. */
    public Builder minLength(Integer minLength) {
      this.minLength = minLength;
      return this;
    }

    /** Sets the greatest length of a string. */
    public Builder maxLength(Integer maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    /** Sets the values a string may take. */
    public Builder enumValues(List<String> values) {
      this.enumValues = values;
      return this;
    }

    /** Sets the least value of a number. */
    public Builder minimum(BigDecimal minimum) {
      this.minimum = minimum;
      return this;
    }

    /** Sets the least value of a number. */
    public Builder minimum(long minimum) {
      return minimum(BigDecimal.valueOf(minimum));
    }

    /** Sets the greatest value of a number. */
    public Builder maximum(BigDecimal maximum) {
      this.maximum = maximum;
      return this;
    }

    /** Sets the greatest value of a number. */
    public Builder maximum(long maximum) {
      return maximum(BigDecimal.valueOf(maximum));
    }

    /** Adds a field to an object. */
    public Builder field(XdmField field) {
      fields.add(Objects.requireNonNull(field, "field == null"));
      return this;
    }

    /** Sets the item type of an array or the value type of a map. */
    public Builder items(XdmField items) {
      this.items = items;
      return this;
    }

    /** Marks the field as an identity in a namespace (such as {@code "Email"}). */
    public Builder identity(String namespace, boolean primary) {
      this.identityNamespace = namespace;
      this.primaryIdentity = primary;
      return this;
    }

    /**
     * Returns the field.
     *
     * @throws IllegalArgumentException if the constraints do not fit the type (fields on a
     *     non-object, no item type on an array or map, a pattern on a number, a minimum above the
     *     maximum, two fields of one name, a pattern that does not compile)
     */
    public XdmField build() {
      List<String> problems = new ArrayList<>();
      boolean container = type == XdmType.OBJECT;
      if (!container && !fields.isEmpty()) {
        problems.add("only an object has fields");
      }
      if ((type == XdmType.ARRAY || type == XdmType.MAP) && items == null) {
        problems.add("an " + type.xdmName() + " needs an item type");
      }
      if (type != XdmType.ARRAY && type != XdmType.MAP && items != null) {
        problems.add("only an array or a map has an item type");
      }
      boolean text = type == XdmType.STRING || type == XdmType.URI;
      if (!text && (pattern != null || minLength != null || maxLength != null || enumValues != null)) {
        problems.add("pattern, lengths and enum apply to strings only");
      }
      boolean numeric = type == XdmType.NUMBER || type.isInteger();
      if (!numeric && (minimum != null || maximum != null)) {
        problems.add("minimum and maximum apply to numbers only");
      }
      if (minimum != null && maximum != null && minimum.compareTo(maximum) > 0) {
        problems.add("minimum " + minimum + " is above maximum " + maximum);
      }
      if (pattern != null) {
        try {
          java.util.regex.Pattern.compile(pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
          problems.add("pattern '" + pattern + "' does not compile: " + e.getDescription());
        }
      }
      java.util.Set<String> names = new java.util.HashSet<>();
      for (XdmField f : fields) {
        if (!names.add(f.name)) {
          problems.add("two fields are named '" + f.name + "'");
        }
      }
      if (primaryIdentity && identityNamespace == null) {
        problems.add("a primary identity needs a namespace");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("field '" + name + "': " + String.join("; ", problems));
      }
      return new XdmField(this);
    }
  }
}
