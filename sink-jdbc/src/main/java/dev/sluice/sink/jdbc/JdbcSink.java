package dev.sluice.sink.jdbc;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.Sink;
import dev.sluice.core.SinkException;
import dev.sluice.sink.jdbc.internal.Dialect;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A {@link Sink} that keeps each dataset's current state in a SQL table: an upsert replaces the
 * row with the change's id, a delete removes it. Everything written between two commits is one
 * database transaction, so a commit makes all of it visible at once and a crash none of it.
 *
 * <pre>{@code
 * JdbcSink sink = JdbcSink.builder()
 *     .dataSource(dataSource)                      // or url(jdbcUrl, user, password)
 *     .table("charges", TableSchema.builder().column("amount", ColumnType.LONG).build())
 *     .build();
 * Flow.builder().source(stripe.source("charges")).into(sink).build().runOnce();
 * }</pre>
 *
 * <p>A dataset's table is named after the dataset (with the {@link Builder#tablePrefix prefix})
 * and created if missing, from the schema given with {@link Builder#table} or else one {@link
 * TableSchema#infer inferred} from the first record written. A record field that no column holds
 * fails the write, unless {@link Builder#ignoreUnknownFields} was set: data is never dropped
 * silently. Values stay exact ({@code bigint} and {@code numeric}, never floating point); a JSON
 * {@code null} and an absent field are both stored as SQL {@code NULL}.
 *
 * <p><b>Checkpoints.</b> The sink {@linkplain #storesCheckpoints() stores checkpoints} in a table
 * {@code <prefix>sluice_checkpoints} ({@code checkpoint_key} primary key, {@code checkpoint}
 * text), written in the same transaction as the data they follow.
 *
 * <p>One sink holds one connection for its transaction; call {@link #close()} when done. Not
 * thread-safe: one flow at a time. Tested on PostgreSQL and H2. The password given to {@link
 * Builder#url} is never printed by {@link #toString()} nor put in an exception message.
 */
public final class JdbcSink implements Sink {
  private final ConnectionFactory connections;
  private final String description;
  private final String tablePrefix;
  private final Map<String, TableSchema> schemas;
  private final boolean ignoreUnknownFields;
  private final Map<String, Table> tables = new HashMap<>();
  private final Map<String, String> stagedCheckpoints = new LinkedHashMap<>();
  private boolean checkpointTableReady;
  private Connection transaction;
  private Dialect dialect;

  private JdbcSink(Builder b) {
    this.connections = b.connections;
    this.description = b.description;
    this.tablePrefix = b.tablePrefix;
    this.schemas = Map.copyOf(b.schemas);
    this.ignoreUnknownFields = b.ignoreUnknownFields;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The table name a dataset is written to. */
  public String tableName(String dataset) {
    String name = (tablePrefix + dataset).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  @Override
  public synchronized void write(String dataset, List<ChangeEnvelope> changes) {
    if (changes.isEmpty()) {
      return;
    }
    Map<String, ChangeEnvelope> last = new LinkedHashMap<>();
    for (ChangeEnvelope change : changes) {
      last.remove(change.id());
      last.put(change.id(), change);
    }
    try {
      Table table = table(dataset, last.values());
      if (table == null) {
        return; // only deletes, into a table that does not exist: nothing to remove
      }
      Connection c = transaction();
      try (PreparedStatement delete = c.prepareStatement(table.deleteSql)) {
        for (String id : last.keySet()) {
          delete.setString(1, id);
          delete.addBatch();
        }
        delete.executeBatch();
      }
      try (PreparedStatement insert = c.prepareStatement(table.insertSql)) {
        int rows = 0;
        for (ChangeEnvelope change : last.values()) {
          if (change.operation() == ChangeEnvelope.Operation.DELETE) {
            continue;
          }
          table.bind(insert, change, dataset, ignoreUnknownFields);
          insert.addBatch();
          rows++;
        }
        if (rows > 0) {
          insert.executeBatch();
        }
      }
    } catch (SQLException e) {
      rollbackQuietly();
      throw new SinkException("Cannot write a batch of " + changes.size() + " records for dataset '"
          + dataset + "' to table " + tableName(dataset) + " of " + description + ": "
          + messageOf(e) + "; the open transaction was rolled back", e);
    } catch (SinkException e) {
      rollbackQuietly();
      throw e;
    }
  }

  @Override
  public synchronized void commit() {
    try {
      if (!stagedCheckpoints.isEmpty()) {
        writeCheckpoints();
      }
      if (transaction == null) {
        return;
      }
      transaction.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      throw new SinkException("Cannot commit to " + description + ": " + messageOf(e), e);
    } finally {
      stagedCheckpoints.clear();
    }
  }

  @Override
  public synchronized void abort() {
    stagedCheckpoints.clear();
    rollbackQuietly();
  }

  /** True: checkpoints commit in the data's transaction (see the class comment). */
  @Override
  public boolean storesCheckpoints() {
    return true;
  }

  @Override
  public synchronized void stageCheckpoints(Map<String, String> checkpoints) {
    checkpoints.forEach((key, text) -> stagedCheckpoints.put(
        Objects.requireNonNull(key, "checkpoint key == null"),
        Objects.requireNonNull(text, "checkpoint text == null for key " + key)));
  }

  @Override
  public synchronized Optional<String> checkpoint(String key) {
    String name = checkpointTable();
    try (Connection c = connections.open()) {
      if (!exists(c, name)) {
        return Optional.empty();
      }
      try (PreparedStatement select = c.prepareStatement("SELECT " + Dialect.quote("checkpoint")
          + " FROM " + Dialect.quote(name) + " WHERE " + Dialect.quote("checkpoint_key") + " = ?")) {
        select.setString(1, key);
        try (ResultSet rs = select.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
      }
    } catch (SQLException e) {
      throw new SinkException("Cannot read checkpoint '" + key + "' from table " + name + " of "
          + description + ": " + messageOf(e), e);
    }
  }

  /** The table holding the checkpoints. */
  private String checkpointTable() {
    return tableName("sluice_checkpoints");
  }

  /** Replaces the staged checkpoints' rows in the open transaction (opened if needed). */
  private void writeCheckpoints() throws SQLException {
    String name = checkpointTable();
    if (!checkpointTableReady) {
      try (Connection c = connections.open()) {
        c.setAutoCommit(true);
        if (dialect == null) {
          dialect = Dialect.of(c);
        }
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS " + Dialect.quote(name) + " ("
              + Dialect.quote("checkpoint_key") + " " + dialect.sqlType(ColumnType.STRING, true)
              + " NOT NULL PRIMARY KEY, " + Dialect.quote("checkpoint") + " "
              + dialect.sqlType(ColumnType.STRING, false) + ")");
        }
      }
      checkpointTableReady = true;
    }
    Connection c = transaction();
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + Dialect.quote(name)
        + " WHERE " + Dialect.quote("checkpoint_key") + " = ?");
        PreparedStatement insert = c.prepareStatement("INSERT INTO " + Dialect.quote(name) + " ("
            + Dialect.quote("checkpoint_key") + ", " + Dialect.quote("checkpoint") + ") VALUES (?, ?)")) {
      for (Map.Entry<String, String> e : stagedCheckpoints.entrySet()) {
        delete.setString(1, e.getKey());
        delete.addBatch();
        insert.setString(1, e.getKey());
        insert.setString(2, e.getValue());
        insert.addBatch();
      }
      delete.executeBatch();
      insert.executeBatch();
    }
  }

  @Override
  public synchronized Optional<Set<String>> currentIds(String dataset) {
    String name = tableName(dataset);
    try (Connection c = connections.open()) {
      Set<String> ids = new LinkedHashSet<>();
      if (!exists(c, name)) {
        return Optional.of(ids);
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT " + Dialect.quote(TableSchema.ID_COLUMN) + " FROM "
              + Dialect.quote(name))) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return Optional.of(ids);
    } catch (SQLException e) {
      throw new SinkException("Cannot read the ids in table " + name + " of " + description + ": "
          + messageOf(e), e);
    }
  }

  /** Rolls back what was staged and closes the connection. */
  @Override
  public synchronized void close() {
    if (transaction != null) {
      rollbackQuietly();
      try {
        transaction.close();
      } catch (SQLException ignored) {
        // Closing is best effort.
      }
      transaction = null;
    }
  }

  @Override
  public String toString() {
    return "JdbcSink{" + description + (tablePrefix.isEmpty() ? "" : ", tablePrefix=" + tablePrefix) + "}";
  }

  private Connection transaction() throws SQLException {
    if (transaction == null || transaction.isClosed()) {
      Connection c = connections.open();
      c.setAutoCommit(false);
      transaction = c;
    }
    return transaction;
  }

  private void rollbackQuietly() {
    if (transaction != null) {
      try {
        transaction.rollback();
      } catch (SQLException ignored) {
        // A broken connection rolls back by itself.
      }
    }
  }

  /** The dataset's table, created (outside the data transaction) if missing; null if not needed. */
  private Table table(String dataset, Iterable<ChangeEnvelope> changes) throws SQLException {
    Table table = tables.get(dataset);
    if (table != null) {
      return table;
    }
    String name = tableName(dataset);
    TableSchema schema = schemas.get(dataset);
    try (Connection c = connections.open()) {
      c.setAutoCommit(true);
      if (dialect == null) {
        dialect = Dialect.of(c);
      }
      if (schema == null) {
        DataRecord sample = null;
        for (ChangeEnvelope change : changes) {
          if (change.operation() == ChangeEnvelope.Operation.UPSERT) {
            sample = change.record();
            break;
          }
        }
        if (sample == null) {
          return exists(c, name) ? load(c, name, dataset, null) : null;
        }
        schema = TableSchema.infer(sample);
      }
      StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(Dialect.quote(name)).append(" (");
      for (TableSchema.Column column : schema.columns()) {
        boolean key = column.name().equals(TableSchema.ID_COLUMN);
        ddl.append(Dialect.quote(column.name())).append(' ').append(dialect.sqlType(column.type(), key));
        ddl.append(key ? " NOT NULL PRIMARY KEY, " : ", ");
      }
      ddl.setLength(ddl.length() - 2);
      ddl.append(')');
      try (Statement s = c.createStatement()) {
        s.execute(ddl.toString());
      }
      return load(c, name, dataset, schema);
    }
  }

  private Table load(Connection c, String name, String dataset, TableSchema schema) throws SQLException {
    Set<String> existing = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + Dialect.quote(name) + " WHERE 1 = 0")) {
      ResultSetMetaData meta = rs.getMetaData();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        existing.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
      }
    }
    if (schema == null) {
      schema = TableSchema.builder().build();
    }
    List<String> missing = new ArrayList<>();
    for (TableSchema.Column column : schema.columns()) {
      if (!existing.contains(column.name().toLowerCase(Locale.ROOT))) {
        missing.add(column.name() + " " + dialect.sqlType(column.type(), false));
      }
    }
    if (!missing.isEmpty()) {
      throw new SinkException("Table " + name + " for dataset '" + dataset + "' has no column for "
          + String.join(", ", missing) + ": add the columns (ALTER TABLE " + name
          + " ADD COLUMN …) or give a TableSchema that matches the table", null);
    }
    Table table = new Table(name, schema, dialect);
    tables.put(dataset, table);
    return table;
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1 FROM " + Dialect.quote(name) + " WHERE 1 = 0").close();
      return true;
    } catch (SQLException e) {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      return false;
    }
  }

  private static String messageOf(SQLException e) {
    String message = e.getMessage();
    SQLException next = e.getNextException();
    if (next != null && next.getMessage() != null) {
      message = message + " (" + next.getMessage() + ")";
    }
    return message == null ? e.getClass().getSimpleName() : message.replace('\n', ' ');
  }

  /** A dataset's table and its statements. */
  private static final class Table {
    final String name;
    final TableSchema schema;
    final String deleteSql;
    final String insertSql;
    final Set<String> columnPaths = new HashSet<>();

    Table(String name, TableSchema schema, Dialect dialect) {
      this.name = name;
      this.schema = schema;
      this.deleteSql = "DELETE FROM " + Dialect.quote(name) + " WHERE "
          + Dialect.quote(TableSchema.ID_COLUMN) + " = ?";
      StringBuilder cols = new StringBuilder();
      StringBuilder values = new StringBuilder();
      for (TableSchema.Column column : schema.columns()) {
        cols.append(cols.length() == 0 ? "" : ", ").append(Dialect.quote(column.name()));
        values.append(values.length() == 0 ? "" : ", ").append(dialect.placeholder(column.type()));
        columnPaths.add(String.join("\u0000", column.path()));
      }
      this.insertSql = "INSERT INTO " + Dialect.quote(name) + " (" + cols + ") VALUES (" + values + ")";
    }

    void bind(PreparedStatement insert, ChangeEnvelope change, String dataset, boolean ignoreUnknown)
        throws SQLException {
      if (!ignoreUnknown) {
        checkCovered(change.record(), "", change.id(), dataset);
      }
      int i = 1;
      for (TableSchema.Column column : schema.columns()) {
        Object value = column.name().equals(TableSchema.ID_COLUMN)
            ? change.id() : valueAt(change.record(), column.path());
        bindValue(insert, i++, column, value, change.id());
      }
    }

    private void checkCovered(DataRecord record, String prefix, String id, String dataset) {
      for (String key : record.keys()) {
        String path = prefix.isEmpty() ? key : prefix + "\u0000" + key;
        if (columnPaths.contains(path)) {
          continue;
        }
        Object value = record.get(key);
        if (value instanceof DataRecord nested) {
          checkCovered(nested, path, id, dataset);
        } else {
          throw new SinkException("Record " + id + " of dataset '" + dataset + "' has field '"
              + path.replace('\u0000', '.') + "' that table " + name + " has no column for: give a"
              + " TableSchema with it (JdbcSink.Builder.table) or set ignoreUnknownFields(true)", null);
        }
      }
    }

    private static Object valueAt(DataRecord record, List<String> path) {
      Object current = record;
      for (String key : path) {
        if (!(current instanceof DataRecord r) || !r.has(key)) {
          return null;
        }
        current = r.get(key);
      }
      return current;
    }

    private void bindValue(PreparedStatement st, int index, TableSchema.Column column, Object value,
        String id) throws SQLException {
      if (value == null) {
        st.setNull(index, Dialect.nullType(column.type()));
        return;
      }
      switch (column.type()) {
        case STRING:
          st.setString(index, value instanceof String s ? s : JsonValues.toJson(value));
          return;
        case JSON:
          st.setString(index, JsonValues.toJson(value));
          return;
        case LONG:
          if (value instanceof Long l) {
            st.setLong(index, l);
            return;
          }
          if (value instanceof BigInteger big && big.bitLength() < 64) {
            st.setLong(index, big.longValue());
            return;
          }
          throw badValue(column, value, id, "declare the column DECIMAL for integers past 64 bits");
        case DECIMAL:
          if (value instanceof Long l) {
            st.setBigDecimal(index, BigDecimal.valueOf(l));
          } else if (value instanceof BigInteger big) {
            st.setBigDecimal(index, new BigDecimal(big));
          } else if (value instanceof BigDecimal dec) {
            st.setBigDecimal(index, dec);
          } else {
            throw badValue(column, value, id, "only numbers fit a DECIMAL column");
          }
          return;
        case BOOLEAN:
          if (value instanceof Boolean b) {
            st.setBoolean(index, b);
            return;
          }
          throw badValue(column, value, id, "only true or false fit a BOOLEAN column");
        case TIMESTAMP:
          st.setObject(index, timestamp(column, value, id));
          return;
        default:
          throw new AssertionError(column.type());
      }
    }

    private SinkException badValue(TableSchema.Column column, Object value, String id, String hint) {
      return new SinkException("Record " + id + " has " + JsonValues.describe(value) + " for column "
          + column.name() + " (" + column.type() + ") of table " + name + ": " + hint, null);
    }

    private OffsetDateTime timestamp(TableSchema.Column column, Object value, String id) {
      if (value instanceof Long seconds) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
      }
      if (value instanceof String text) {
        try {
          return OffsetDateTime.ofInstant(Instant.parse(text), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          // fall through to the error below
        }
      }
      throw badValue(column, value, id, "give Unix seconds or ISO-8601 text such as 2024-01-31T12:00:00Z");
    }
  }

  /** Opens connections. */
  @FunctionalInterface
  private interface ConnectionFactory {
    Connection open() throws SQLException;
  }

  /** Builds a {@link JdbcSink}; {@link #build()} lists every missing setting. */
  public static final class Builder {
    private ConnectionFactory connections;
    private String description;
    private String tablePrefix = "";
    private final Map<String, TableSchema> schemas = new LinkedHashMap<>();
    private boolean ignoreUnknownFields;

    private Builder() {}

    /** Where connections come from: a pool or a driver's data source. */
    public Builder dataSource(DataSource dataSource) {
      Objects.requireNonNull(dataSource, "dataSource == null");
      this.connections = dataSource::getConnection;
      this.description = "data source " + dataSource.getClass().getSimpleName();
      return this;
    }

    /**
     * Connects with {@link DriverManager} to a JDBC URL. The password is kept to connect and
     * never shown: not in {@link JdbcSink#toString()}, not in an error message.
     *
     * @param password the password, or {@code null} for none
     */
    public Builder url(String url, String user, String password) {
      Objects.requireNonNull(url, "url == null");
      this.connections = () -> DriverManager.getConnection(url, user, password);
      this.description = redact(url);
      return this;
    }

    /** Prefixed to every table name, such as {@code "stripe_"}. Default none. */
    public Builder tablePrefix(String prefix) {
      this.tablePrefix = Objects.requireNonNull(prefix, "prefix == null");
      return this;
    }

    /** The columns of a dataset's table; without it, they are inferred from the first record. */
    public Builder table(String dataset, TableSchema schema) {
      schemas.put(Objects.requireNonNull(dataset, "dataset == null"),
          Objects.requireNonNull(schema, "schema == null"));
      return this;
    }

    /** Whether record fields no column holds are dropped (true) or fail the write (false, default). */
    public Builder ignoreUnknownFields(boolean ignore) {
      this.ignoreUnknownFields = ignore;
      return this;
    }

    /**
     * Returns the sink. It connects on its first write.
     *
     * @throws IllegalStateException if no data source or URL was given
     */
    public JdbcSink build() {
      if (connections == null) {
        throw new IllegalStateException(
            "no database: call dataSource(...) or url(jdbcUrl, user, password)");
      }
      return new JdbcSink(this);
    }

    private static String redact(String url) {
      return url.replaceAll("(?i)(password|pwd)=[^&;]*", "$1=***")
          .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }
  }
}
