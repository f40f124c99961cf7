package dev.sluice.sink.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.SchemaChange;
import dev.sluice.core.SinkException;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.schema.XdmField;
import dev.sluice.xdm.schema.XdmSchema;
import dev.sluice.xdm.schema.XdmType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user of the Parquet sink sees, read back with DuckDB. */
class ParquetSinkTest {
  private static final Instant T0 = Instant.parse("2026-03-17T22:02:19Z");
  @TempDir Path dir;

  private static ChangeEnvelope up(String id, DataRecord r) {
    return ChangeEnvelope.upsert("charges", id, T0, r);
  }

  private static DataRecord charge(String id, Object amount, String description) {
    return DataRecord.builder()
        .put("id", id)
        .put("object", "charge")
        .put("amount", amount)
        .put("description", description)
        .put("customer", null)
        .put("outcome", DataRecord.builder()
            .put("network_status", "approved_by_network")
            .put("risk_score", 32L)
            .put("rule", null)
            .build())
        .put("refunds", List.of(
            DataRecord.builder().put("id", "re_" + id).put("amount", 100L).build(),
            DataRecord.builder().put("id", "re2_" + id).put("amount", 5L).build()))
        .put("metadata", Map.of("order", "A-" + id, "note", "ß✓ 日本"))
        .put("tags", List.of("x", "y"))
        .build();
  }

  @Test
  void rawStripeRecordsComeBackFromDuckDbWithEveryValueExact() throws Exception {
    ParquetSink sink = ParquetSink.builder().root(dir).build();
    List<ChangeEnvelope> batch = new ArrayList<>();
    batch.add(up("ch_1", charge("ch_1", 9_007_199_254_740_993L, "plain")));          // 2^53 + 1
    batch.add(up("ch_2", charge("ch_2", Long.MIN_VALUE, "emoji 🎉 \"quoted\" \\ tab\t")));
    batch.add(up("ch_3", charge("ch_3", new BigInteger("123456789012345678901234567890"), "huge")));
    sink.write("charges", batch);
    sink.commit();

    Map<String, DataRecord> state = DuckDb.currentState(DuckDb.changes(dir, "charges"));
    Map<String, DataRecord> expected = new LinkedHashMap<>();
    for (ChangeEnvelope c : batch) {
      expected.put(c.id(), c.record());
    }
    // BigInteger past long widened amount to DECIMAL(38,0): DuckDB gives every amount back exactly.
    assertThat(state).isEqualTo(expected);
    assertThat(DuckDb.query("SELECT typeof(amount) AS t, typeof(outcome) AS o, typeof(metadata) AS m FROM read_parquet('"
        + dir + "/charges/*/*.parquet') LIMIT 1"))
        .containsExactly(DataRecord.builder()
            .put("t", "DECIMAL(38,0)")
            .put("o", "STRUCT(network_status VARCHAR, risk_score BIGINT, \"rule\" VARCHAR)")
            .put("m", "MAP(VARCHAR, VARCHAR)")
            .build());
  }

  @Test
  void hivePartitionsByIngestDateAndNoTemporaryFileIsLeft() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    ParquetSink sink = ParquetSink.builder().root(dir).clock(clock).build();
    sink.write("charges", List.of(up("ch_1", charge("ch_1", 1L, "a"))));
    assertThat(DuckDb.changes(dir, "charges")).as("staged only").isEmpty();
    sink.commit();
    List<String> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).collect(Collectors.toList());
    }
    assertThat(files).singleElement().asString()
        .matches("charges/ingest_date=2026-11-22/20261122T100000000Z-000001-[0-9a-f]{32}\\.parquet");
    assertThat(DuckDb.query("SELECT ingest_date, _sluice_op, _sluice_id, to_json(_sluice_changed_at) AS at FROM read_parquet('"
        + dir + "/charges/**/*.parquet', hive_partitioning=true)"))
        .containsExactly(DataRecord.builder().put("ingest_date", "2026-11-22").put("_sluice_op", "UPSERT")
            .put("_sluice_id", "ch_1").put("at", "2026-03-17 22:02:19+00").build());
    assertThat(sink.bytesWritten()).isEqualTo(Files.size(dir.resolve(files.get(0))));
  }

  @Test
  void laterRecordsWidenTheInferredSchemaAndTheChangesAreReported() throws Exception {
    ParquetSink sink = ParquetSink.builder().root(dir).build();
    DataRecord first = DataRecord.builder().put("id", "ch_1").put("amount", 5L).put("note", null).build();
    sink.write("charges", List.of(up("ch_1", first)));
    sink.commit();
    assertThat(sink.schemaChanges()).isEmpty();

    // A new sink (a later run) continues from the schema on disk.
    ParquetSink later = ParquetSink.builder().root(dir).build();
    DataRecord second = DataRecord.builder().put("id", "ch_2").put("amount", new BigDecimal("7.25"))
        .put("note", 12L).put("refunded", true).build();
    DataRecord third = DataRecord.builder().put("id", "ch_3").put("amount", 9L).put("note", "text").build();
    later.write("charges", List.of(up("ch_2", second)));
    later.write("charges", List.of(up("ch_3", third)));   // widens the staged batch again
    later.commit();

    assertThat(later.schemaChanges()).extracting(SchemaChange::toString).containsExactly(
        "charges.amount: int64 -> decimal(38,2)",
        "charges.note: string (only nulls so far) -> int64",
        "charges.refunded: added as boolean",
        "charges.note: int64 -> json text");

    assertThat(later.compact("charges")).isEqualTo(3);
    List<DataRecord> snapshot = DuckDb.snapshot(dir, "charges");
    Map<String, DataRecord> state = DuckDb.currentState(snapshot);
    assertThat(state.get("ch_1")).isEqualTo(DataRecord.builder().put("id", "ch_1")
        .put("amount", new BigDecimal("5.00")).put("note", null).build());
    assertThat(state.get("ch_2")).isEqualTo(DataRecord.builder().put("id", "ch_2")
        .put("amount", new BigDecimal("7.25")).put("note", 12L).put("refunded", true).build());
    assertThat(state.get("ch_3")).isEqualTo(DataRecord.builder().put("id", "ch_3")
        .put("amount", new BigDecimal("9.00")).put("note", "text").build());
  }

  @Test
  void compactionKeepsTheLastVersionOfEachIdAndDropsDeletesAcrossRuns() throws Exception {
    Map<String, DataRecord> expected = new LinkedHashMap<>();
    for (int run = 0; run < 3; run++) {
      ParquetSink sink = ParquetSink.builder().root(dir).build();
      List<ChangeEnvelope> batch = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String id = "ch_" + i;
        if (run > 0 && i % 7 == run) {
          batch.add(ChangeEnvelope.delete("charges", id, "charge", T0.plusSeconds(run)));
          expected.remove(id);
        } else if (run == 0 || i % 3 == run) {
          DataRecord r = charge(id, (long) (i * 100 + run), "run " + run);
          batch.add(ChangeEnvelope.upsert("charges", id, T0.plusSeconds(run), r));
          expected.put(id, r);
        }
      }
      sink.write("charges", batch);
      sink.commit();
      assertThat(sink.compact("charges")).isEqualTo(expected.size());
      assertThat(sink.compact("charges")).as("already up to date").isEqualTo(-1);
      assertThat(sink.currentIds("charges")).contains(expected.keySet());
    }
    assertThat(DuckDb.currentState(DuckDb.snapshot(dir, "charges"))).isEqualTo(expected);
    assertThat(DuckDb.query("SELECT count(*) AS n, count(DISTINCT _sluice_id) AS d FROM read_parquet('"
        + dir + "/charges/current/*.parquet')"))
        .containsExactly(DataRecord.builder().put("n", (long) expected.size()).put("d", (long) expected.size()).build());
    try (Stream<Path> s = Files.list(dir.resolve("charges/current"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("snapshot.parquet");
    }
  }

  private static XdmSchema schema() {
    return XdmSchema.builder()
        .field(XdmField.builder("id", XdmType.STRING).required(true).build())
        .field(XdmField.builder("amount", XdmType.LONG).build())
        .field(XdmField.builder("quantity", XdmType.INTEGER).build())
        .field(XdmField.builder("level", XdmType.BYTE).build())
        .field(XdmField.builder("rate", XdmType.NUMBER).build())
        .field(XdmField.builder("paid", XdmType.BOOLEAN).build())
        .field(XdmField.builder("day", XdmType.DATE).build())
        .field(XdmField.builder("created", XdmType.DATE_TIME).build())
        .field(XdmField.builder("billing", XdmType.OBJECT)
            .field(XdmField.builder("city", XdmType.STRING).build())
            .field(XdmField.builder("zip", XdmType.STRING).build())
            .build())
        .field(XdmField.builder("items", XdmType.ARRAY)
            .items(XdmField.builder("item", XdmType.OBJECT)
                .field(XdmField.builder("sku", XdmType.STRING).build())
                .field(XdmField.builder("qty", XdmType.LONG).build())
                .build())
            .build())
        .field(XdmField.builder("labels", XdmType.MAP).items(XdmField.builder("v", XdmType.STRING).build()).build())
        .build();
  }

  @Test
  void anXdmSchemaGivesTypedColumns() throws Exception {
    ParquetSink sink = ParquetSink.builder().root(dir).schema("charges", schema()).build();
    DataRecord r = DataRecord.builder()
        .put("id", "ch_1").put("amount", 1099L).put("quantity", 3L).put("level", -2L)
        .put("rate", new BigDecimal("0.25")).put("paid", true).put("day", "2026-03-17")
        .put("created", "2026-03-17T23:02:19+01:00")
        .put("billing", Map.of("city", "Malmö", "zip", "211 19"))
        .put("items", List.of(Map.of("sku", "sku_1", "qty", 2L)))
        .put("labels", Map.of("tier", "gold"))
        .build();
    DataRecord epoch = DataRecord.builder().put("id", "ch_2").put("created", 1_700_000_000L).build();
    sink.write("charges", List.of(up("ch_1", r), up("ch_2", epoch)));
    sink.commit();

    String file = dir + "/charges/*/*.parquet";
    assertThat(DuckDb.query("SELECT typeof(amount) a, typeof(quantity) q, typeof(level) l, typeof(rate) r,"
        + " typeof(day) d, typeof(created) c, typeof(items) i, typeof(labels) m FROM read_parquet('" + file + "') LIMIT 1"))
        .containsExactly(DataRecord.builder().put("a", "BIGINT").put("q", "INTEGER").put("l", "TINYINT")
            .put("r", "DOUBLE").put("d", "DATE").put("c", "TIMESTAMP WITH TIME ZONE")
            .put("i", "STRUCT(sku VARCHAR, qty BIGINT)[]").put("m", "MAP(VARCHAR, VARCHAR)").build());
    assertThat(DuckDb.query("SELECT _sluice_id, amount, quantity, level, rate, paid, CAST(day AS VARCHAR) AS day,"
        + " epoch(created)::BIGINT AS created, billing, items, labels FROM read_parquet('" + file + "') ORDER BY 1"))
        .containsExactly(
            DataRecord.builder().put("_sluice_id", "ch_1").put("amount", 1099L).put("quantity", 3L).put("level", -2L)
                .put("rate", new BigDecimal("0.25")).put("paid", true).put("day", "2026-03-17")
                .put("created", 1_773_784_939L).put("billing", Map.of("city", "Malmö", "zip", "211 19"))
                .put("items", List.of(Map.of("sku", "sku_1", "qty", 2L))).put("labels", Map.of("tier", "gold")).build(),
            DataRecord.builder().put("_sluice_id", "ch_2").putNull("amount").putNull("quantity").putNull("level")
                .putNull("rate").putNull("paid").putNull("day").put("created", 1_700_000_000L).putNull("billing")
                .putNull("items").putNull("labels").build());
  }

  @Test
  void aRecordThatDoesNotFitTheSchemaIsRefusedNamingTheFieldAndNothingIsStaged() throws Exception {
    ParquetSink sink = ParquetSink.builder().root(dir).schema("charges", schema()).build();
    DataRecord good = DataRecord.builder().put("id", "ch_1").put("amount", 1L).build();
    sink.write("charges", List.of(up("ch_1", good)));
    assertThatThrownBy(() -> sink.write("charges", List.of(
        up("ch_2", good.toBuilder().put("id", "ch_2").build()),
        up("ch_3", DataRecord.builder().put("id", "ch_3").put("quantity", 3_000_000_000L).build()))))
        .isInstanceOf(SinkException.class)
        .hasMessageContaining("Dataset 'charges', record 'ch_3': field 'quantity' holds 3000000000, outside the range of int32");
    assertThatThrownBy(() -> sink.write("charges", List.of(
        up("ch_4", DataRecord.builder().put("id", "ch_4").put("billing", Map.of("town", "x")).build()))))
        .hasMessageContaining("field 'billing.town' is not in the dataset's schema");
    assertThatThrownBy(() -> sink.write("charges", List.of(
        up("ch_5", DataRecord.builder().put("id", "ch_5").put("created", "yesterday").build()))))
        .hasMessageContaining("field 'created' holds 'yesterday', which is not an ISO-8601 date-time");
    sink.commit();
    assertThat(DuckDb.currentState(DuckDb.changes(dir, "charges"))).containsOnlyKeys("ch_1");
  }

  @Test
  void aCrashedWriterLeavesNothingVisibleAndItsTemporaryFileIsRemovedByTheNextRun() throws Exception {
    ParquetSink crashed = ParquetSink.builder().root(dir).build();
    crashed.write("charges", List.of(up("ch_1", charge("ch_1", 1L, "never committed"))));
    try (Stream<Path> s = Files.walk(dir)) {
      assertThat(s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .singleElement().asString().startsWith(".").endsWith(".tmp");
    }
    assertThat(DuckDb.changes(dir, "charges")).isEmpty();
    ParquetSink next = ParquetSink.builder().root(dir).build();
    next.write("charges", List.of(up("ch_2", charge("ch_2", 2L, "committed"))));
    next.commit();
    try (Stream<Path> s = Files.walk(dir)) {
      assertThat(s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .singleElement().asString().doesNotStartWith(".");
    }
  }

  @Test
  void aCrashAfterTheCommitRecordIsFinishedByTheNextSink() throws Exception {
    ParquetSink sink = ParquetSink.builder().root(dir).build();
    sink.write("charges", List.of(up("ch_1", DataRecord.builder().put("id", "ch_1").put("amount", 1L).build())));
    sink.stageCheckpoints(java.util.Map.of("charges", "after-1"));
    sink.commit();
    sink.write("charges", List.of(up("ch_2", DataRecord.builder().put("id", "ch_2").put("amount", 2L).build())));
    sink.stageCheckpoints(java.util.Map.of("charges", "after-2"));
    sink.commit();
    // Put the second batch's file back under its temporary name: what a crash right after the
    // commit record was written leaves on disk.
    List<Path> files;
    try (var s = Files.walk(dir.resolve("charges"))) {
      files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
    Path second = files.get(1);
    String name = second.getFileName().toString();
    Files.move(second, second.resolveSibling("." + dev.sluice.sink.parquet.internal.Lake.base(name) + ".parquet.tmp"));

    ParquetSink next = ParquetSink.builder().root(dir).build();
    assertThat(next.checkpoint("charges")).contains("after-2");
    assertThat(next.currentIds("charges")).contains(java.util.Set.of("ch_1", "ch_2"));
    assertThat(second).exists();
  }
}
