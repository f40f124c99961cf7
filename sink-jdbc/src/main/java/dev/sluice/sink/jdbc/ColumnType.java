package dev.sluice.sink.jdbc;

/**
 * The SQL-neutral type of a {@link TableSchema} column; each database gets its own SQL type for
 * it (PostgreSQL: {@code text}, {@code bigint}, {@code numeric}, {@code boolean}, {@code
 * timestamptz}, {@code json}).
 */
public enum ColumnType {
  /** Text. Numbers and booleans put here are stored as their JSON text; objects and lists too. */
  STRING,
  /** A 64-bit integer; a larger integer is refused (declare the column {@link #DECIMAL}). */
  LONG,
  /** An exact decimal of any size and scale: integers of any size, and decimal fractions. */
  DECIMAL,
  /** True or false. */
  BOOLEAN,
  /** An instant, from Unix seconds (Stripe's timestamps) or ISO-8601 text. */
  TIMESTAMP,
  /** Any JSON value, stored as its compact JSON text (keys in order, nulls kept). */
  JSON
}
