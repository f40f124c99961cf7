package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.internal.JsonLinesState;
import dev.sluice.sink.parquet.ParquetSink;
import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.stripe.ops.StripeOperations;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Stripe sync in a child JVM, against the emulator with its faults on, halted (as {@code kill -9}
 * would stop it) right after a sink commit and before anything else, first in the middle of the
 * backfill and then in an incremental run after changes at "Stripe"; the reruns finish. For JSON
 * Lines, Parquet and JDBC (on a real PostgreSQL): every record version is in the files, the change
 * log or the table once, and the store equals the emulator's current customers.
 */
class StripeCrashTest {
  static final int OBJECTS = 300;
  static EmbeddedPostgres postgres;

  @TempDir Path out;

  @BeforeAll
  static void start() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
  }

  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  int child(String kind, String apiBase, int haltAfter) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        StripeCrashChild.class.getName(), kind, out.toString(), apiBase, jdbcUrl(), String.valueOf(haltAfter));
    pb.redirectErrorStream(true);
    Path log = out.resolveSibling(out.getFileName() + "-child.log");
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child ended in time").isTrue();
    return p.exitValue();
  }

  String log() throws IOException {
    return Files.readString(out.resolveSibling(out.getFileName() + "-child.log"), StandardCharsets.UTF_8);
  }

  String lastLine() throws IOException {
    List<String> lines = log().lines().toList();
    return lines.get(lines.size() - 1);
  }

  void faults(StripeEmulator emulator) {
    emulator.faults().failNext(1, 503, null).dropNext(1).truncateNext(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jsonl", "parquet", "jdbc"})
  void haltedRightAfterCommitsTheRerunsLeaveEachVersionOnceAndTheStoreEqualToStripe(String kind)
      throws Exception {
    try (Connection db = DriverManager.getConnection(jdbcUrl()); Statement st = db.createStatement()) {
      st.execute("DROP TABLE IF EXISTS crash_customers");
      st.execute("DROP TABLE IF EXISTS crash_sluice_checkpoints");
    }
    try (StripeEmulator emulator = StripeEmulator.builder().seed(13).objectsPerResource(OBJECTS).build().start()) {
      String base = emulator.baseUrl();
      faults(emulator);
      assertThat(child(kind, base, 2)).as("halted in the backfill: %s", log()).isEqualTo(137);
      assertThat(child(kind, base, 0)).as("finished the backfill: %s", log()).isZero();

      StripeOperations ops = StripeConnection.builder().apiKey("sk_test_crash").apiBase(base)
          .throttle(Throttle.none()).build().operations();
      List<DataRecord> some = ops.list("customers").limit(4).toList();
      ops.update("customers", some.get(0).getString("id"), Map.of("name", "Zoë Ångström"));
      ops.update("customers", some.get(1).getString("id"), Map.of("email", "changed@example.com"));
      ops.delete("customers", some.get(2).getString("id"));
      ops.delete("customers", some.get(3).getString("id"));
      ops.create("customers", Map.of("email", "new1@example.com"));
      ops.create("customers", Map.of("email", "new2@example.com"));
      // The child reads with settle 0 on its own clock: a read in the very second of a change
      // cannot prove it saw it, so the change's event is applied again (a second, identical
      // version, never a loss). With the default settle of 60 s that cannot happen; here the
      // changes are made to lie in an earlier second than the child's first read.
      long changedIn = java.time.Instant.now().getEpochSecond();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
      while (java.time.Instant.now().getEpochSecond() <= changedIn) {
        assertThat(System.nanoTime()).as("the clock moved on").isLessThan(deadline);
        Thread.onSpinWait();
      }

      faults(emulator);
      assertThat(child(kind, base, 1)).as("halted in the incremental run: %s", log()).isEqualTo(137);
      assertThat(child(kind, base, 0)).as("finished: %s", log()).isZero();
      assertThat(lastLine()).as("the last run, after the halt right after a commit, wrote nothing again")
          .startsWith("SUCCESS read=0 written=0");

      Map<String, DataRecord> stripe = ops.list("customers")
          .collect(Collectors.toMap(c -> c.getString("id"), Function.identity()));
      assertThat(stripe).hasSize(OBJECTS - 2 + 2);
      // 300 backfilled, 2 updates, 2 deletes and 2 creates: one line, row or change each.
      long versions = OBJECTS + 2 + 2 + 2;
      switch (kind) {
        case "jsonl" -> checkJsonLines(stripe, versions);
        case "parquet" -> checkParquet(stripe, versions);
        default -> checkTable(stripe);
      }
    }
  }

  void checkJsonLines(Map<String, DataRecord> stripe, long versions) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(out.resolve("customers"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
    }
    assertThat(lines).as("each version once").doesNotHaveDuplicates().hasSize((int) versions);
    assertThat(JsonLinesState.read(out, "customers")).isEqualTo(stripe);
  }

  void checkParquet(Map<String, DataRecord> stripe, long versions) throws Exception {
    String changes = "read_parquet('" + out.resolve("customers") + "/ingest_date=*/*.parquet', union_by_name=true)";
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT (_sluice_op, _sluice_id,"
          + " name, email, balance)) FROM " + changes)) {
        rs.next();
        assertThat(rs.getLong(1)).as("change rows").isEqualTo(versions);
        assertThat(rs.getLong(2)).as("distinct changes").isEqualTo(versions);
      }
      Map<String, List<Object>> current = new HashMap<>();
      Map<String, List<Object>> expected = stripe.values().stream()
          .collect(Collectors.toMap(c -> c.getString("id"), StripeCrashTest::row));
      try (ParquetSink lake = ParquetSink.builder().root(out).build()) {
        lake.compact("customers");
      }
      try (ResultSet rs = st.executeQuery("SELECT id, name, email, balance, created FROM read_parquet('"
          + out.resolve("customers/current/*.parquet") + "')")) {
        while (rs.next()) {
          current.put(rs.getString(1), Arrays.asList(rs.getString(2), rs.getString(3),
              number(rs.getObject(4)), number(rs.getObject(5))));
        }
      }
      assertThat(current).isEqualTo(expected);
    }
  }

  void checkTable(Map<String, DataRecord> stripe) throws Exception {
    Map<String, List<Object>> table = new HashMap<>();
    try (Connection db = DriverManager.getConnection(jdbcUrl()); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, name, email, balance, created FROM crash_customers")) {
      while (rs.next()) {
        List<Object> row = Arrays.asList(rs.getString(2), rs.getString(3), number(rs.getObject(4)),
            number(rs.getObject(5)));
        assertThat(table.put(rs.getString(1), row)).as("id %s once", rs.getString(1)).isNull();
      }
    }
    Map<String, List<Object>> expected = stripe.values().stream()
        .collect(Collectors.toMap(c -> c.getString("id"), StripeCrashTest::row));
    assertThat(table).isEqualTo(expected);
  }

  static Long number(Object value) {
    return value == null ? null : ((Number) value).longValue();
  }

  static List<Object> row(DataRecord c) {
    return Arrays.asList(c.getString("name"), c.getString("email"), c.getLong("balance"), c.getLong("created"));
  }
}
