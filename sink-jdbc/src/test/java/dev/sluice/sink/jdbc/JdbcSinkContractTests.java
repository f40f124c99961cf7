package dev.sluice.sink.jdbc;

import dev.sluice.core.Sink;
import dev.sluice.core.contract.SinkContractTest;
import dev.sluice.xdm.DataRecord;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The Sink contract suite, run against the JDBC sink on a real PostgreSQL and on H2. */
class JdbcSinkContractTests {
  private static final AtomicInteger TEST = new AtomicInteger();

  /** Each test gets its own tables through a table prefix; a "crash" drops the connection. */
  abstract static class JdbcContract extends SinkContractTest {
    final String prefix = "t" + TEST.incrementAndGet() + "_";

    abstract Connection connect() throws SQLException;

    abstract JdbcSink.Builder target();

    @Override
    protected Sink openSink() {
      return target().tablePrefix(prefix).build();
    }

    @Override
    protected void crash(Sink sink) {
      sink.close();
    }

    @Override
    protected Map<String, DataRecord> currentState(String dataset) {
      try (Connection c = connect()) {
        return TableReader.read(c, prefix + dataset);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @Nested
  class OnPostgres extends JdbcContract {
    @Override
    Connection connect() throws SQLException {
      return postgres.getPostgresDatabase().getConnection();
    }

    @Override
    JdbcSink.Builder target() {
      DataSource ds = postgres.getPostgresDatabase();
      return JdbcSink.builder().dataSource(ds);
    }
  }

  @Nested
  class OnH2 extends JdbcContract {
    final String url = "jdbc:h2:mem:contract" + TEST.incrementAndGet() + ";DB_CLOSE_DELAY=-1";

    @Override
    Connection connect() throws SQLException {
      return DriverManager.getConnection(url, "sa", "");
    }

    @Override
    JdbcSink.Builder target() {
      return JdbcSink.builder().url(url, "sa", "");
    }

    /** H2's DECFLOAT keeps a decimal's exact value but not its trailing zeros (12.50 is 12.5). */
    @Override
    protected DataRecord expectedStored(DataRecord written) {
      DataRecord.Builder b = written.toBuilder();
      for (String key : written.keys()) {
        if (written.get(key) instanceof java.math.BigDecimal d) {
          b.put(key, d.stripTrailingZeros());
        }
      }
      return b.build();
    }
  }
}
