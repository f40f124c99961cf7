package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Flow;
import dev.sluice.core.FlowRun;
import dev.sluice.core.RunStatus;
import dev.sluice.sink.parquet.ParquetSink;
import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.stripe.ops.StripeOperations;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Customers land in Parquet; updates and deletes made at "Stripe" reach the lake through events;
 * the compacted snapshot, read by DuckDB, equals the emulator's current data.
 */
class ParquetFromEventsTest {
  @TempDir Path dir;

  @Test
  void theCompactedSnapshotEqualsStripesCurrentData() throws Exception {
    try (StripeEmulator emulator = StripeEmulator.builder().seed(8).objectsPerResource(300).build().start()) {
      StripeConnection stripe = StripeConnection.builder().apiKey("sk_test_lake").apiBase(emulator.baseUrl())
          .throttle(Throttle.none()).build();
      try (ParquetSink lake = ParquetSink.builder().root(dir).build()) {
        // Settle 0: the changes below are read at once (by default a poll stops a minute before now).
        Flow flow = stripe.source("customers").withParallelism(4).withSettle(Duration.ZERO).into(lake).build();
        assertThat(flow.runOnce().status()).isEqualTo(RunStatus.SUCCESS);

        StripeOperations ops = stripe.operations();
        List<DataRecord> before = ops.list("customers").limit(6).toList();
        ops.update("customers", before.get(0).getString("id"), Map.of("name", "Zoë Ångström 日本"));
        ops.update("customers", before.get(1).getString("id"), Map.of("email", "changed@example.com"));
        ops.delete("customers", before.get(2).getString("id"));
        ops.delete("customers", before.get(3).getString("id"));
        String created = ops.create("customers", Map.of("name", "New", "email", "new@example.com")).getString("id");

        FlowRun second = flow.runOnce();
        assertThat(second.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(second.recordsRead()).isGreaterThanOrEqualTo(5);
        lake.compact("customers");

        Map<String, List<Object>> expected = ops.list("customers")
            .collect(Collectors.toMap(c -> c.getString("id"), ParquetFromEventsTest::row));
        assertThat(expected).containsKey(created).hasSize(300 - 2 + 1);

        Map<String, List<Object>> snapshot = new HashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
            Statement st = db.createStatement();
            ResultSet rs = st.executeQuery("SELECT id, name, email, balance, created FROM read_parquet('"
                + dir.resolve("customers/current/*.parquet") + "')")) {
          while (rs.next()) {
            Object balance = rs.getObject(4);
            snapshot.put(rs.getString(1), java.util.Arrays.asList(rs.getString(2), rs.getString(3),
                balance == null ? null : ((Number) balance).longValue(), ((Number) rs.getObject(5)).longValue()));
          }
        }
        assertThat(snapshot).isEqualTo(expected);
      }
    }
  }

  static List<Object> row(DataRecord c) {
    return java.util.Arrays.asList(c.getString("name"), c.getString("email"), c.getLong("balance"), c.getLong("created"));
  }
}
