package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.ChangeSource;
import dev.sluice.core.Flow;
import dev.sluice.core.FlowRun;
import dev.sluice.core.SchemaChange;
import dev.sluice.core.Sinks;
import dev.sluice.core.StateStores;
import dev.sluice.xdm.DataRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Between two runs the source's charges gain a field on some objects, one field changes its JSON
 * type and the API version the answers carry changes: the second run lists all three in its
 * {@link FlowRun} and the main job's summary prints them.
 */
class DriftSummaryTest {
  @TempDir Path dir;

  /** Charges after an offset checkpoint, read at an API version, shaped as the test says. */
  static final class ChargesSource implements ChangeSource {
    int total;
    String apiVersion;
    boolean drifted;

    @Override
    public String dataset() {
      return "charges";
    }

    @Override
    public void read(String checkpoint, PageConsumer consumer) {
      int from = checkpoint == null ? 0 : Integer.parseInt(checkpoint);
      List<ChangeEnvelope> page = new ArrayList<>();
      for (int i = from; i < total; i++) {
        DataRecord.Builder charge = DataRecord.builder().put("id", "ch_" + i).put("object", "charge")
            .put("amount", (long) 100 * i)
            .put("outcome", DataRecord.builder().put("risk_level", "normal").build());
        if (drifted && i % 4 == 0) {
          charge.put("payment_method_details", DataRecord.builder().put("type", "klarna").build());
        }
        if (drifted) {
          charge.put("outcome", DataRecord.builder().put("risk_level", "normal").put("risk_score", 12).build())
              .put("amount", String.valueOf(100 * i));
        }
        page.add(ChangeEnvelope.upsert("charges", "ch_" + i, Instant.ofEpochSecond(1_700_000_000L + i), charge.build()));
      }
      consumer.accept(new Page(page, String.valueOf(total), 1, 0, 0, apiVersion));
    }
  }

  @Test
  void aNewFieldATypeChangeAndAVersionChangeAreInTheRunAndInTheSummary() {
    ChargesSource source = new ChargesSource();
    source.total = 40;
    source.apiVersion = "2024-06-20";
    Flow flow = Flow.builder().source(source).into(Sinks.jsonLines(dir))
        .stateStore(StateStores.directory(dir.resolve(".sluice/state"))).build();
    FlowRun first = flow.runOnce();
    assertThat(first.schemaChanges()).isEmpty();

    source.total = 80;
    source.apiVersion = "2025-03-31.basil";
    source.drifted = true;
    FlowRun second = flow.runOnce();
    assertThat(second.schemaChanges()).extracting(SchemaChange::toString).containsExactlyInAnyOrder(
        "charges.payment_method_details: added as object",
        "charges.payment_method_details.type: added as string",
        "charges.outcome.risk_score: added as number",
        "charges.amount: number -> number|string");
    assertThat(second.apiVersionChanged()).isTrue();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SluiceMain main = new SluiceMain(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of());
    main.printSummary(List.of(first, second),
        CommandLine.parse(new String[] {"sync", "--out", dir.toString()}, Map.of()));
    String summary = out.toString(StandardCharsets.UTF_8);
    assertThat(summary.lines()).contains(
        "charges: Stripe API version changed from 2024-06-20 to 2025-03-31.basil",
        "charges: new field payment_method_details (object)",
        "charges: new field payment_method_details.type (string)",
        "charges: new field outcome.risk_score (number)",
        "charges: field amount changed type from number to number|string");
    assertThat(summary.lines().filter(l -> l.startsWith("charges: "))).as("only the second run drifted").hasSize(5);
  }
}
