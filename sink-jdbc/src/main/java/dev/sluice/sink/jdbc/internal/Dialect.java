package dev.sluice.sink.jdbc.internal;

import dev.sluice.sink.jdbc.ColumnType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;

/** The SQL a database needs for each column type. PostgreSQL and H2 are tested. */
public enum Dialect {
  POSTGRESQL,
  H2,
  /** Any other database: standard type names, best effort. */
  STANDARD;

  /** The dialect of the database behind a connection. */
  public static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("postgres")) {
      return POSTGRESQL;
    } else if (product.equals("h2")) {
      return H2;
    }
    return STANDARD;
  }

  /** The SQL type of a column. */
  public String sqlType(ColumnType type, boolean primaryKey) {
    switch (this) {
      case POSTGRESQL:
        switch (type) {
          case STRING: return "text";
          case LONG: return "bigint";
          case DECIMAL: return "numeric";
          case BOOLEAN: return "boolean";
          case TIMESTAMP: return "timestamptz";
          case JSON: return "json";
          default: throw new AssertionError(type);
        }
      case H2:
        switch (type) {
          case STRING: return primaryKey ? "CHARACTER VARYING(255)" : "CHARACTER VARYING";
          case LONG: return "BIGINT";
          case DECIMAL: return "DECFLOAT";
          case BOOLEAN: return "BOOLEAN";
          case TIMESTAMP: return "TIMESTAMP WITH TIME ZONE";
          case JSON: return "CHARACTER VARYING";
          default: throw new AssertionError(type);
        }
      default:
        switch (type) {
          case STRING: return primaryKey ? "VARCHAR(255)" : "VARCHAR(4000)";
          case LONG: return "BIGINT";
          case DECIMAL: return "DECIMAL(38, 10)";
          case BOOLEAN: return "BOOLEAN";
          case TIMESTAMP: return "TIMESTAMP WITH TIME ZONE";
          case JSON: return "VARCHAR(4000)";
          default: throw new AssertionError(type);
        }
    }
  }

  /** The placeholder that binds a value of this type in an INSERT. */
  public String placeholder(ColumnType type) {
    return this == POSTGRESQL && type == ColumnType.JSON ? "CAST(? AS json)" : "?";
  }

  /** The {@link Types} code used to bind a SQL NULL of this type. */
  public static int nullType(ColumnType type) {
    switch (type) {
      case LONG: return Types.BIGINT;
      case DECIMAL: return Types.NUMERIC;
      case BOOLEAN: return Types.BOOLEAN;
      case TIMESTAMP: return Types.TIMESTAMP_WITH_TIMEZONE;
      default: return Types.VARCHAR;
    }
  }

  /** Quotes an identifier. */
  public static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
