package dev.sluice.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.testkit.StripeEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every resource of the catalog can be read to its end, against the emulator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogPagingTest {
  StripeEmulator emulator;
  StripeConnection connection;

  @BeforeAll
  void start() {
    emulator = StripeEmulator.builder().seed(3).objectsPerResource(130).build().start();
    connection = StripeConnection.builder().apiKey("sk_test_catalog").apiBase(emulator.baseUrl())
        .initialBackoff(Duration.ZERO).readTimeout(Duration.ofSeconds(20)).throttle(dev.sluice.stripe.http.Throttle.none()).build();
  }

  @AfterAll
  void stop() {
    emulator.close();
  }

  List<String> resources() {
    return StripeCatalog.all().stream().map(StripeResource::name).toList();
  }

  @ParameterizedTest
  @MethodSource("resources")
  void readsEveryObjectOnceWithTheResourcesShape(String name) {
    StripeResource resource = StripeCatalog.require(name);
    List<ChangeEnvelope> changes = new ArrayList<>();
    connection.source(name).withParallelism(3).read(null, page -> changes.addAll(page.changes()));
    assertThat(changes).as(name).isNotEmpty();
    assertThat(changes.stream().map(ChangeEnvelope::id)).as(name).doesNotHaveDuplicates()
        .allMatch(id -> id.startsWith(resource.idPrefix()));
    assertThat(changes).allSatisfy(c -> assertThat(c.record().getString("object")).isEqualTo(resource.objectType()));
  }
}
