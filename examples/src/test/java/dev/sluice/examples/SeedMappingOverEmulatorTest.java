package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stripe.StripeConnection;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.mapping.Mapping;
import dev.sluice.xdm.mapping.MappingResult;
import dev.sluice.xdm.mapping.MappingSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed's 36-line AEP mapping set maps every charge the emulator generates without an error,
 * from records and from text alike.
 */
class SeedMappingOverEmulatorTest {
  @Test
  void everyGeneratedChargeMapsCleanly() throws IOException {
    Mapping mapping = MappingSet.fromJson(Files.readString(Path.of("mappings/aep-charges-mapping-set.json")))
        .compile("acme");
    try (StripeEmulator emulator = StripeEmulator.builder().seed(99).objectsPerResource(2_000).build().start()) {
      StripeConnection stripe = StripeConnection.builder().apiKey("sk_test_seed").apiBase(emulator.baseUrl())
          .throttle(dev.sluice.stripe.http.Throttle.none()).build();
      List<MappingResult> results = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      stripe.source("charges").read(null, page -> page.changes().forEach(c -> {
        results.add(mapping.apply(c.record()));
        lines.add(c.record().toJson());
      }));
      assertThat(results).hasSize(2_000);
      assertThat(results).allSatisfy(r -> {
        assertThat(r.errors()).isEmpty();
        assertThat(r.record().getPath("_acme.charges_data.id")).asString().startsWith("ch_");
      });
      // The same charges as JSON Lines text, mapped text to text: the same output, line for line.
      for (int i = 0; i < lines.size(); i++) {
        assertThat(mapping.applyJson(lines.get(i)).json()).isEqualTo(results.get(i).record().toJson());
      }
      // Zero-decimal and large amounts pass through exactly.
      assertThat(results).anySatisfy(r -> assertThat(r.record().getPath("_acme.charges_data.currency")).isEqualTo("jpy"));
    }
  }
}
