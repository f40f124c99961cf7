package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.ChangeSource;
import dev.sluice.core.Flow;
import dev.sluice.core.FlowRun;
import dev.sluice.core.RunStatus;
import dev.sluice.core.SinkException;
import dev.sluice.xdm.DataRecord;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbcSinkTest {
  static EmbeddedPostgres postgres;

  @BeforeAll
  static void start() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
  }

  private static Map<String, DataRecord> pgState(String table) throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      return TableReader.read(c, table);
    }
  }

  private static ChangeEnvelope upsert(String id, String json) {
    return ChangeEnvelope.upsert("charges", id, Instant.EPOCH, DataRecord.fromJson(json));
  }

  @Test
  void everyValueStaysExactAndNullAndAbsentAreBothNull() throws SQLException {
    TableSchema schema = TableSchema.builder()
        .column("amount", ColumnType.LONG)
        .column("huge", ColumnType.DECIMAL)
        .column("rate", ColumnType.DECIMAL)
        .column("created", ColumnType.TIMESTAMP)
        .column("customer", ColumnType.STRING)
        .column("metadata", ColumnType.JSON)
        .build();
    try (JdbcSink sink = JdbcSink.builder().dataSource(postgres.getPostgresDatabase())
        .tablePrefix("exact_").table("charges", schema).build()) {
      sink.write("charges", List.of(
          upsert("ch_1", "{\"id\":\"ch_1\",\"amount\":9223372036854775807,"
              + "\"huge\":123456789012345678901234567890,\"rate\":0.000000000000000000012345678901234567890,"
              + "\"created\":1700000000,\"customer\":null,\"metadata\":{\"b\":1,\"a\":[1.50,null]}}"),
          upsert("ch_2", "{\"id\":\"ch_2\",\"amount\":-1}")));
      sink.commit();
    }
    Map<String, DataRecord> state = pgState("exact_charges");
    DataRecord first = state.get("ch_1");
    assertThat(first.get("amount")).isEqualTo(Long.MAX_VALUE);
    assertThat(((BigDecimal) first.get("huge")).toBigIntegerExact())
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(first.get("rate")).isEqualTo(new BigDecimal("0.000000000000000000012345678901234567890"));
    assertThat(first.get("created")).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(first.has("customer")).isTrue();
    assertThat(first.get("customer")).isNull();
    assertThat(first.getRecord("metadata").toJson()).isEqualTo("{\"b\":1,\"a\":[1.50,null]}");
    DataRecord second = state.get("ch_2");
    assertThat(second.get("amount")).isEqualTo(-1L);
    assertThat(second.get("huge")).isNull();
    assertThat(second.get("metadata")).isNull();
  }

  @Test
  void anInferredTableFlattensNestedObjectsAndKeepsListsAsJson() throws SQLException {
    DataRecord charge = DataRecord.fromJson("{\"id\":\"ch_1\",\"amount\":1099,\"paid\":true,"
        + "\"outcome\":{\"type\":\"authorized\",\"risk\":{\"score\":12,\"rule\":{\"id\":\"r1\"}}},"
        + "\"refunds\":[{\"id\":\"re_1\"}],\"fee\":1.25}");
    TableSchema schema = TableSchema.infer(charge);
    assertThat(schema.toString()).isEqualTo("TableSchema{id STRING, amount LONG, paid BOOLEAN,"
        + " outcome_type STRING, outcome_risk_score LONG, outcome_risk_rule JSON, refunds JSON,"
        + " fee DECIMAL}");
    assertThat(schema.column("outcome_risk_score").path()).containsExactly("outcome", "risk", "score");

    try (JdbcSink sink = JdbcSink.builder().dataSource(postgres.getPostgresDatabase())
        .tablePrefix("flat_").build()) {
      sink.write("charges", List.of(ChangeEnvelope.upsert("charges", "ch_1", Instant.EPOCH, charge)));
      sink.commit();
    }
    DataRecord row = pgState("flat_charges").get("ch_1");
    assertThat(row.get("outcome_type")).isEqualTo("authorized");
    assertThat(row.get("outcome_risk_score")).isEqualTo(12L);
    assertThat(row.get("outcome_risk_rule")).isEqualTo(DataRecord.fromJson("{\"id\":\"r1\"}"));
    assertThat(row.get("fee")).isEqualTo(new BigDecimal("1.25"));
  }

  @Test
  void aFieldNoColumnHoldsFailsTheWriteAndNothingLands() throws SQLException {
    try (JdbcSink sink = JdbcSink.builder().dataSource(postgres.getPostgresDatabase())
        .tablePrefix("unknown_").build()) {
      sink.write("charges", List.of(upsert("ch_1", "{\"id\":\"ch_1\",\"amount\":1}")));
      assertThatThrownBy(() -> sink.write("charges",
          List.of(upsert("ch_2", "{\"id\":\"ch_2\",\"amount\":2,\"outcome\":{\"type\":\"x\"}}"))))
          .isInstanceOf(SinkException.class)
          .hasMessageContaining("field 'outcome.type'")
          .hasMessageContaining("unknown_charges")
          .hasMessageContaining("ignoreUnknownFields(true)");
      sink.commit();
    }
    assertThat(pgState("unknown_charges")).isEmpty();
  }

  @Test
  void aValueOfTheWrongTypeNamesTheRecordAndColumn() {
    try (JdbcSink sink = JdbcSink.builder().dataSource(postgres.getPostgresDatabase())
        .tablePrefix("wrong_").table("charges", TableSchema.builder().column("amount", ColumnType.LONG).build())
        .build()) {
      assertThatThrownBy(() -> sink.write("charges",
          List.of(upsert("ch_9", "{\"id\":\"ch_9\",\"amount\":99999999999999999999999}"))))
          .isInstanceOf(SinkException.class)
          .hasMessageContaining("ch_9").hasMessageContaining("column amount (LONG)")
          .hasMessageContaining("DECIMAL");
    }
  }

  @Test
  void thePasswordIsNeverShown() {
    String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?password=s3cretUrl";
    JdbcSink sink = JdbcSink.builder().url(url, "nosuchuser", "s3cretArg").build();
    assertThat(sink.toString()).doesNotContain("s3cret").contains("password=***");
    assertThatThrownBy(() -> sink.write("charges", List.of(upsert("ch_1", "{\"id\":\"ch_1\"}"))))
        .isInstanceOf(SinkException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    JdbcSink withUserInfo = JdbcSink.builder().url("jdbc:mysql://bob:hunter2@db/x", null, null).build();
    assertThat(withUserInfo.toString()).doesNotContain("hunter2");
  }

  @Test
  void aFlowLandsInH2AndListsIdsForAFullRefresh() throws SQLException {
    String url = "jdbc:h2:mem:flow;DB_CLOSE_DELAY=-1";
    ChangeSource source = new ChangeSource() {
      @Override
      public String dataset() {
        return "customers";
      }

      @Override
      public void read(String checkpoint, PageConsumer consumer) {
        consumer.accept(new Page(List.of(
            ChangeEnvelope.upsert("customers", "cus_1", Instant.EPOCH,
                DataRecord.fromJson("{\"id\":\"cus_1\",\"balance\":0,\"email\":null}")),
            ChangeEnvelope.upsert("customers", "cus_2", Instant.EPOCH,
                DataRecord.fromJson("{\"id\":\"cus_2\",\"balance\":-500,\"email\":\"a@b.c\"}"))),
            "1", 1, 10));
      }
    };
    try (JdbcSink sink = JdbcSink.builder().url(url, "sa", "").build()) {
      FlowRun run = Flow.builder().source(source).into(sink).build().runOnce();
      assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
      assertThat(sink.currentIds("customers")).contains(Set.of("cus_1", "cus_2"));
      assertThat(sink.currentIds("never_written")).contains(Set.of());
    }
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      assertThat(TableReader.read(c, "customers").get("cus_2").get("balance")).isEqualTo(-500L);
    }
  }
}
