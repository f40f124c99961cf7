package dev.sluice.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.schema.XdmField;
import dev.sluice.xdm.schema.XdmSchema;
import dev.sluice.xdm.schema.XdmType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A table made from the mapping's XDM target schema: typed columns, written and read back. */
class TableSchemaFromXdmTest {
  static final XdmSchema SCHEMA = XdmSchema.builder().tenantId("acme")
      .field(XdmField.builder("_acme", XdmType.OBJECT)
          .field(XdmField.builder("charges", XdmType.OBJECT)
              .field(XdmField.builder("id", XdmType.STRING).build())
              .field(XdmField.builder("amount", XdmType.NUMBER).build())
              .field(XdmField.builder("quantity", XdmType.LONG).build())
              .field(XdmField.builder("paid", XdmType.BOOLEAN).build())
              .field(XdmField.builder("created", XdmType.DATE_TIME).build())
              .field(XdmField.builder("outcome", XdmType.OBJECT)
                  .field(XdmField.builder("type", XdmType.STRING).build())
                  .field(XdmField.builder("risk", XdmType.OBJECT)
                      .field(XdmField.builder("score", XdmType.LONG).build()).build())
                  .build())
              .field(XdmField.builder("tags", XdmType.ARRAY)
                  .items(XdmField.builder("tag", XdmType.STRING).build()).build())
              .build())
          .build())
      .build();

  @Test
  void eachLeafIsATypedColumnNamedWithoutTheTenant() {
    TableSchema table = TableSchema.fromXdm(SCHEMA);
    assertThat(table.columns().stream().map(c -> c.name() + ":" + c.type()).collect(Collectors.toList()))
        .containsExactly("id:STRING", "charges_id:STRING", "charges_amount:DECIMAL", "charges_quantity:LONG",
            "charges_paid:BOOLEAN", "charges_created:TIMESTAMP", "charges_outcome_type:STRING",
            "charges_outcome_risk:JSON", "charges_tags:JSON");
    assertThat(table.column("charges_amount").path()).containsExactly("_acme", "charges", "amount");
  }

  @Test
  void mappedRecordsLandWithExactValues() throws SQLException {
    String url = "jdbc:h2:mem:xdm;DB_CLOSE_DELAY=-1";
    DataRecord record = DataRecord.fromJson("{\"_acme\":{\"charges\":{\"id\":\"ch_1\",\"amount\":10.99,"
        + "\"quantity\":9007199254740991,\"paid\":true,\"created\":\"2023-03-17T22:02:19Z\","
        + "\"outcome\":{\"type\":\"authorized\",\"risk\":{\"score\":32}},\"tags\":[\"a\",\"b\"]}}}");
    try (JdbcSink sink = JdbcSink.builder().url(url, "sa", "").table("charges", TableSchema.fromXdm(SCHEMA)).build()) {
      sink.write("charges", List.of(ChangeEnvelope.upsert("charges", "ch_1", Instant.EPOCH, record)));
      sink.commit();
    }
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      DataRecord row = TableReader.read(c, "charges").get("ch_1");
      assertThat(new BigDecimal(row.get("charges_amount").toString())).isEqualByComparingTo("10.99");
      assertThat(row.get("charges_quantity")).isEqualTo(9007199254740991L);
      assertThat(row.get("charges_paid")).isEqualTo(true);
      assertThat(row.get("charges_outcome_type")).isEqualTo("authorized");
      assertThat(row.get("charges_outcome_risk").toString()).contains("\"score\":32");
    }
  }
}
