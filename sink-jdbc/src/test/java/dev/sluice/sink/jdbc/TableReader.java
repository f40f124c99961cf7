package dev.sluice.sink.jdbc;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reads a table's committed rows back as records, for tests: the sink's current state. */
final class TableReader {
  private TableReader() {}

  static Map<String, DataRecord> read(Connection c, String table) {
    Map<String, DataRecord> state = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY \"id\"")) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        DataRecord.Builder record = DataRecord.builder();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          String name = meta.getColumnName(i).toLowerCase(Locale.ROOT);
          String typeName = meta.getColumnTypeName(i).toLowerCase(Locale.ROOT);
          Object value;
          switch (meta.getColumnType(i)) {
            case Types.BIGINT: value = rs.getLong(i); break;
            case Types.NUMERIC: case Types.DECIMAL: value = rs.getBigDecimal(i); break;
            case Types.BOOLEAN: case Types.BIT: value = rs.getBoolean(i); break;
            case Types.TIMESTAMP_WITH_TIMEZONE: case Types.TIMESTAMP:
              OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
              value = t == null ? null : t.toInstant().toString();
              break;
            default:
              if (typeName.equals("decfloat")) {
                value = rs.getBigDecimal(i);
              } else if (typeName.equals("json")) {
                String text = rs.getString(i);
                value = text == null ? null : JsonValues.parse(text);
              } else {
                value = rs.getString(i);
              }
          }
          record.put(name, rs.wasNull() ? null : value);
        }
        DataRecord r = record.build();
        state.put(r.getString("id"), r);
      }
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).matches("(?s).*(does not exist|not found).*")) {
        return state;
      }
      throw new IllegalStateException(e);
    }
    return state;
  }
}
