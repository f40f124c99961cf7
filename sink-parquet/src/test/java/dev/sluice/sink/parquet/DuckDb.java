package dev.sluice.sink.parquet;

import dev.sluice.xdm.DataRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the sink wrote with DuckDB, an independent Parquet reader: each row as the JSON that
 * DuckDB's {@code to_json} makes of it, parsed exactly (decimals keep their scale).
 */
final class DuckDb {
  private DuckDb() {}

  /** Rows of a query, each as a record of its columns made by DuckDB's to_json. */
  static List<DataRecord> query(String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_json(sluice_row) FROM (" + sql + ") sluice_row")) {
      List<DataRecord> out = new ArrayList<>();
      while (rs.next()) {
        out.add(DataRecord.fromJson(rs.getString(1)));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The change rows of a dataset in commit order (file name, then row), or none. */
  static List<DataRecord> changes(Path root, String dataset) throws Exception {
    Path dir = root.resolve(dataset);
    if (!Files.isDirectory(dir) || !hasParquet(dir)) {
      return List.of();
    }
    String glob = dir.toString().replace("'", "''") + "/ingest_date=*/*.parquet";
    return query("SELECT * EXCLUDE (filename, file_row_number) FROM read_parquet('" + glob
        + "', union_by_name=true, filename=true, file_row_number=true, hive_partitioning=true)"
        + " ORDER BY parse_filename(filename), file_row_number");
  }

  /** The rows of the dataset's snapshot. */
  static List<DataRecord> snapshot(Path root, String dataset) {
    String file = root.resolve(dataset).resolve("current/snapshot.parquet").toString();
    return query("SELECT * FROM read_parquet('" + file + "')");
  }

  private static boolean hasParquet(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      return files.anyMatch(p -> p.toString().endsWith(".parquet") && !p.getFileName().toString().startsWith(".")
          && p.getParent().getFileName().toString().startsWith("ingest_date="));
    }
  }

  /** The current state: per id, the last upsert's record (deletes remove). */
  static Map<String, DataRecord> currentState(List<DataRecord> rows) {
    Map<String, DataRecord> state = new LinkedHashMap<>();
    for (DataRecord row : rows) {
      String id = row.getString("_sluice_id");
      if ("DELETE".equals(row.getString("_sluice_op"))) {
        state.remove(id);
      } else {
        state.put(id, data(row));
      }
    }
    return state;
  }

  /** A row's data: without the change columns and the partition, without the fields it did not have. */
  static DataRecord data(DataRecord row) {
    DataRecord.Builder b = row.toBuilder();
    List<Object> absent = row.getList("_sluice_absent");
    for (String key : row.keys()) {
      if (key.startsWith("_sluice_") || key.equals("ingest_date")) {
        b.remove(key);
      }
    }
    if (absent != null) {
      for (Object path : absent) {
        String p = (String) path;
        if (!p.contains(".")) {
          b.remove(p);
        }
      }
    }
    return b.build();
  }
}
