package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.FlowRegistry.RegisteredFlow;
import dev.sluice.core.Schedule.Frequency;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowRegistryTest {
  @TempDir Path dir;

  static Flow flow() {
    return Flow.builder().source(new FlowTest.CountingSource(1, 1, -1)).into(Sinks.inMemory()).build();
  }

  @Test
  void everyUpdateChangesTheEtagAndAStaleOneIsRefused() {
    FlowRegistry registry = FlowRegistry.inMemory();
    RegisteredFlow created = registry.register(flow());
    assertThat(created.enabled()).isTrue();

    RegisteredFlow renamed = registry.update("things", created.etag(),
        b -> b.name("Things").schedule(Schedule.every(1, Frequency.HOUR)));
    assertThat(renamed.etag()).isNotEqualTo(created.etag());
    assertThat(renamed.flow().name()).isEqualTo("Things");
    assertThat(registry.get("things")).contains(renamed);

    assertThatThrownBy(() -> registry.update("things", created.etag(), b -> b.name("Lost update")))
        .isInstanceOf(StaleEtagException.class)
        .hasMessageContaining("Flow 'things' changed since etag " + created.etag())
        .hasMessageContaining("retry with the new etag")
        .satisfies(e -> assertThat(((StaleEtagException) e).currentEtag()).isEqualTo(renamed.etag()));
    assertThat(registry.get("things").orElseThrow().flow().name()).isEqualTo("Things");

    RegisteredFlow disabled = registry.disable("things", renamed.etag());
    assertThat(disabled.enabled()).isFalse();
    assertThatThrownBy(() -> registry.enable("things", renamed.etag())).isInstanceOf(StaleEtagException.class);
    RegisteredFlow enabled = registry.enable("things", disabled.etag());
    assertThat(enabled.enabled()).isTrue();

    assertThatThrownBy(() -> registry.delete("things", disabled.etag())).isInstanceOf(StaleEtagException.class);
    registry.delete("things", enabled.etag());
    assertThat(registry.list()).isEmpty();
  }

  @Test
  void badUpdatesChangeNothing() {
    FlowRegistry registry = FlowRegistry.inMemory();
    RegisteredFlow created = registry.register(flow());
    assertThatThrownBy(() -> registry.update("things", created.etag(), b -> b.id("other")))
        .isInstanceOf(FlowDefinitionException.class).hasMessageContaining("id cannot change");
    assertThatThrownBy(() -> registry.update("nope", created.etag(), b -> b))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no flow with id 'nope'");
    assertThatThrownBy(() -> registry.register(flow())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("registered already");
    assertThat(registry.get("things")).contains(created);
  }

  @Test
  void aFileRegistryKeepsChangesAcrossARestart() {
    Path file = dir.resolve("flows.json");
    FlowRegistry first = FlowRegistry.file(file);
    RegisteredFlow created = first.register(flow());
    Schedule daily = Schedule.builder().frequency(Frequency.DAY).interval(1).backfill(false)
        .startTime(java.time.Instant.parse("2025-01-01T02:00:00Z")).build();
    RegisteredFlow updated = first.update("things", created.etag(), b -> b.description("nightly").schedule(daily));
    RegisteredFlow disabled = first.disable("things", updated.etag());

    // The application starts again and registers the flow as its code builds it.
    FlowRegistry second = FlowRegistry.file(file);
    RegisteredFlow again = second.register(flow());
    assertThat(again.etag()).isEqualTo(disabled.etag());
    assertThat(again.enabled()).isFalse();
    assertThat(again.flow().schedule()).isEqualTo(daily);
    assertThat(again.flow().description()).isEqualTo("nightly");
    assertThat(again.createdAt()).isEqualTo(created.createdAt());
    assertThatThrownBy(() -> second.enable("things", created.etag())).isInstanceOf(StaleEtagException.class);
  }
}
