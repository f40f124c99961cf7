package dev.sluice.sink.jdbc;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.schema.XdmField;
import dev.sluice.xdm.schema.XdmSchema;
import dev.sluice.xdm.schema.XdmType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The columns of a table a {@link JdbcSink} writes one dataset into. The first column is always
 * {@value #ID_COLUMN}, the primary key, holding each change's Stripe id; every other column reads
 * one path of the record ({@code outcome.type} for column {@code outcome_type}).
 *
 * <pre>{@code
 * TableSchema charges = TableSchema.builder()
 *     .column("amount", ColumnType.LONG)
 *     .column("outcome_type", ColumnType.STRING, "outcome", "type")
 *     .column("metadata", ColumnType.JSON)
 *     .build();
 * TableSchema fromTarget = TableSchema.fromXdm(xdmSchema);   // from the mapping's target schema
 * TableSchema guessed = TableSchema.infer(sampleCharge);      // or from a sample record
 * }</pre>
 *
 * <p>Immutable. <b>Incubating:</b> {@link #infer} looks at one record only.
 */
public final class TableSchema {
  /** The name of the primary key column, which holds the Stripe id. */
  public static final String ID_COLUMN = "id";
  /** The default depth past which {@link #infer} stores nested objects as JSON text. */
  public static final int DEFAULT_MAX_DEPTH = 3;

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private final List<Column> columns;

  private TableSchema(List<Column> columns) {
    this.columns = List.copyOf(columns);
  }

  /**
   * One column.
   *
   * @param name the column name: letters, digits and underscores, at most 63, not starting with a
   *     digit
   * @param type its SQL-neutral type
   * @param path the record fields leading to its value (one name for a top-level field)
   */
  public record Column(String name, ColumnType type, List<String> path) {
    /** Checks the fields and copies the path. */
    public Column {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(type, "type == null");
      path = List.copyOf(path);
    }
  }

  /** Returns a builder; the {@value #ID_COLUMN} column is there already. */
  public static Builder builder() {
    return new Builder();
  }

  /** Infers a schema from one sample record, nesting up to {@link #DEFAULT_MAX_DEPTH}. */
  public static TableSchema infer(DataRecord sample) {
    return infer(sample, DEFAULT_MAX_DEPTH);
  }

  /**
   * Infers a schema from one sample record: each scalar field becomes a column of its type
   * ({@code Long} → LONG, {@code BigInteger} and {@code BigDecimal} → DECIMAL, {@code Boolean} →
   * BOOLEAN, text and {@code null} → STRING); a nested object becomes {@code parent_child} columns
   * while its depth is below {@code maxDepth}, and one JSON column at that depth; a list is a
   * JSON column. The record's own top-level {@code id} is the {@value #ID_COLUMN} column. Names
   * are lowercased and characters other than letters, digits and {@code _} become {@code _}.
   *
   * @param maxDepth 1 keeps only top-level fields as columns (objects as JSON)
   * @throws IllegalArgumentException if two fields flatten to the same column name
   */
  public static TableSchema infer(DataRecord sample, int maxDepth) {
    Objects.requireNonNull(sample, "sample == null");
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
    }
    Builder builder = builder();
    flatten(sample, new ArrayList<>(), 1, maxDepth, builder);
    return builder.build();
  }

  /**
   * The table of records that follow an XDM schema: one typed column per leaf field, nested
   * objects flattened into {@code parent_child} columns up to {@link #DEFAULT_MAX_DEPTH} levels
   * below the tenant namespace (deeper objects, arrays and maps are JSON columns). Types: string,
   * uri and date are STRING; long, int, short and byte are LONG; number is DECIMAL, so a value is
   * never rounded through a double; boolean is BOOLEAN; date-time is TIMESTAMP. The tenant
   * namespace ({@code _acme}) is left out of column names but kept in the paths; the primary key
   * {@value #ID_COLUMN} is the Stripe id of each change.
   *
   * @throws IllegalArgumentException if two fields flatten to the same column name
   */
  public static TableSchema fromXdm(XdmSchema schema) {
    Objects.requireNonNull(schema, "schema == null");
    Builder builder = builder();
    String tenant = schema.tenantId() == null ? null : "_" + schema.tenantId();
    for (XdmField field : schema.fields()) {
      boolean namespace = field.name().equals(tenant) && field.type() == XdmType.OBJECT;
      List<String> path = new ArrayList<>(List.of(field.name()));
      flattenXdm(field, path, namespace ? 0 : 1, namespace ? 1 : 0, builder);
    }
    return builder.build();
  }

  private static void flattenXdm(XdmField field, List<String> path, int depth, int nameFrom, Builder builder) {
    if (field.type() == XdmType.OBJECT && depth < DEFAULT_MAX_DEPTH && !field.fields().isEmpty()) {
      for (XdmField child : field.fields()) {
        List<String> childPath = new ArrayList<>(path);
        childPath.add(child.name());
        flattenXdm(child, childPath, depth + 1, nameFrom, builder);
      }
      return;
    }
    List<String> namePath = path.subList(nameFrom, path.size());
    String name = columnName(namePath);
    if (name.equals(ID_COLUMN)) {
      name = "record_id"; // the primary key column holds the change's Stripe id
    }
    builder.column(name, columnTypeOf(field.type()), path.toArray(String[]::new));
  }

  private static ColumnType columnTypeOf(XdmType type) {
    switch (type) {
      case LONG:
      case INTEGER:
      case SHORT:
      case BYTE:
        return ColumnType.LONG;
      case NUMBER:
        return ColumnType.DECIMAL;
      case BOOLEAN:
        return ColumnType.BOOLEAN;
      case DATE_TIME:
        return ColumnType.TIMESTAMP;
      case OBJECT:
      case ARRAY:
      case MAP:
        return ColumnType.JSON;
      default:
        return ColumnType.STRING;
    }
  }

  private static void flatten(DataRecord record, List<String> prefix, int depth, int maxDepth,
      Builder builder) {
    for (String key : record.keys()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(key);
      if (path.size() == 1 && key.equals(ID_COLUMN)) {
        continue;
      }
      Object value = record.get(key);
      if (value instanceof DataRecord nested && depth < maxDepth && !nested.isEmpty()) {
        flatten(nested, path, depth + 1, maxDepth, builder);
        continue;
      }
      builder.column(columnName(path), typeOf(value), path.toArray(String[]::new));
    }
  }

  private static ColumnType typeOf(Object value) {
    if (value instanceof Long) {
      return ColumnType.LONG;
    } else if (value instanceof BigInteger || value instanceof BigDecimal) {
      return ColumnType.DECIMAL;
    } else if (value instanceof Boolean) {
      return ColumnType.BOOLEAN;
    } else if (value instanceof DataRecord || value instanceof List) {
      return ColumnType.JSON;
    }
    return ColumnType.STRING;
  }

  private static String columnName(List<String> path) {
    String joined = String.join("_", path).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (joined.isEmpty() || Character.isDigit(joined.charAt(0))) {
      joined = "_" + joined;
    }
    return joined.length() > 63 ? joined.substring(0, 63) : joined;
  }

  /** Every column, {@value #ID_COLUMN} first. */
  public List<Column> columns() {
    return columns;
  }

  /** The column with this name, or {@code null}. */
  public Column column(String name) {
    for (Column c : columns) {
      if (c.name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableSchema other && other.columns.equals(columns);
  }

  @Override
  public int hashCode() {
    return columns.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("TableSchema{");
    for (int i = 0; i < columns.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(columns.get(i).name()).append(' ').append(columns.get(i).type());
    }
    return sb.append('}').toString();
  }

  /** Builds a {@link TableSchema}; {@link #build()} lists every problem found. */
  public static final class Builder {
    private final List<Column> columns = new ArrayList<>();

    private Builder() {
      columns.add(new Column(ID_COLUMN, ColumnType.STRING, List.of(ID_COLUMN)));
    }

    /** Adds a column reading the top-level field of the same name. */
    public Builder column(String name, ColumnType type) {
      return column(name, type, Objects.requireNonNull(name, "name == null"));
    }

    /** Adds a column reading the field at {@code path} (field names from the top level down). */
    public Builder column(String name, ColumnType type, String... path) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(type, "type == null");
      if (path.length == 0) {
        throw new IllegalArgumentException("path of column '" + name + "' is empty: name the field");
      }
      columns.add(new Column(name, type, List.of(path)));
      return this;
    }

    /**
     * Returns the schema.
     *
     * @throws IllegalArgumentException listing every bad or repeated column name
     */
    public TableSchema build() {
      List<String> problems = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (Column c : columns) {
        if (!NAME.matcher(c.name()).matches()) {
          problems.add("column '" + c.name() + "': use letters, digits and _ (at most 63, not"
              + " starting with a digit)");
        }
        if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
          problems.add("column '" + c.name() + "' is defined twice"
              + (c.name().equals(ID_COLUMN) ? " ('id' is always the primary key column)" : "")
              + ": rename one of them");
        }
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("Invalid table schema: " + String.join("; ", problems));
      }
      return new TableSchema(columns);
    }
  }
}
