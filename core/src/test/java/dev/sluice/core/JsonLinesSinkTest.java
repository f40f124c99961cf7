package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest {
  @TempDir Path dir;

  private static ChangeEnvelope change(String id) {
    return ChangeEnvelope.upsert("charges", id, Instant.EPOCH,
        DataRecord.fromJson("{\"id\":\"" + id + "\",\"amount\":9007199254740993,\"customer\":null}"));
  }

  private List<Path> files(String dataset) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve(dataset))) {
      return s.sorted().toList();
    }
  }

  @Test
  void nothingIsVisibleBeforeCommit() throws IOException {
    Sink sink = Sinks.jsonLines(dir);
    sink.write("charges", List.of(change("ch_1"), change("ch_2")));
    assertThat(files("charges")).allMatch(p -> p.getFileName().toString().startsWith("."));
    sink.commit();
    assertThat(files("charges")).hasSize(1);
    assertThat(Files.readAllLines(files("charges").get(0))).containsExactly(
        "{\"id\":\"ch_1\",\"amount\":9007199254740993,\"customer\":null}",
        "{\"id\":\"ch_2\",\"amount\":9007199254740993,\"customer\":null}");
  }

  @Test
  void abortDropsTheStagedBatchAndLeftoversAreCleanedByTheNextWriter() throws IOException {
    Sink crashed = Sinks.jsonLines(dir);
    crashed.write("charges", List.of(change("ch_1")));
    // The process "dies" here: no commit, no abort. The temporary file stays hidden.
    Sink next = Sinks.jsonLines(dir);
    next.write("charges", List.of(change("ch_2")));
    next.commit();
    assertThat(files("charges")).hasSize(1);
    assertThat(Files.readString(files("charges").get(0))).contains("ch_2").doesNotContain("ch_1");

    next.write("charges", List.of(change("ch_3")));
    next.abort();
    assertThat(files("charges")).hasSize(1);
  }

  @Test
  void eachCommitIsOneFileAndNamesSortInCommitOrder() throws IOException {
    Sink sink = Sinks.jsonLines(dir);
    for (int i = 0; i < 3; i++) {
      sink.write("charges", List.of(change("ch_" + i)));
      sink.commit();
    }
    List<Path> files = files("charges");
    assertThat(files).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(Files.readString(files.get(i))).contains("\"ch_" + i + "\"");
    }
  }

  @Test
  void aDatasetNameThatEscapesTheRootIsRefused() {
    Sink sink = Sinks.jsonLines(dir);
    assertThatThrownBy(() -> sink.write("../etc", List.of(change("ch_1"))))
        .isInstanceOf(SinkException.class)
        .hasMessageContaining("'../etc'");
  }

  @Test
  void directoryStateStoreReplacesAtomicallyAndKeepsKeysApart() {
    StateStore store = StateStores.directory(dir.resolve("state"));
    store.save("flow:a", "1");
    store.save("flow_a", "2");
    store.save("flow:a", "3");
    assertThat(store.load("flow:a")).contains("3");
    assertThat(store.load("flow_a")).contains("2");
    store.delete("flow:a");
    assertThat(store.load("flow:a")).isEmpty();
  }

  @Test
  void currentIdsComeFromTheIndexEvenWhenAMappingMovedTheId() {
    Sink sink = Sinks.jsonLines(dir);
    DataRecord mapped = DataRecord.fromJson("{\"_acme\":{\"charges_data\":{\"id\":\"ch_1\"}}}");
    sink.write("charges", List.of(ChangeEnvelope.upsert("charges", "ch_1", Instant.EPOCH, mapped),
        ChangeEnvelope.upsert("charges", "ch_2", Instant.EPOCH, mapped)));
    sink.commit();
    sink.write("charges", List.of(ChangeEnvelope.delete("charges", "ch_2", "charge", Instant.EPOCH)));
    sink.commit();
    assertThat(Sinks.jsonLines(dir).currentIds("charges")).contains(java.util.Set.of("ch_1"));
    assertThat(dir.resolve(".sluice/ids/charges")).isDirectory();
  }

  @Test
  void aNewFileSortsAfterExistingOnesEvenIfTheClockIsBehindThem() throws IOException {
    Files.createDirectories(dir.resolve("charges"));
    Files.writeString(dir.resolve("charges/29991231T235959999Z-000007.jsonl"),
        "{\"id\":\"ch_1\",\"v\":1}\n");
    Sink sink = Sinks.jsonLines(dir);
    sink.write("charges", List.of(ChangeEnvelope.upsert("charges", "ch_1", Instant.EPOCH,
        DataRecord.fromJson("{\"id\":\"ch_1\",\"v\":2}"))));
    sink.commit();
    assertThat(files("charges")).extracting(p -> p.getFileName().toString())
        .containsExactly("29991231T235959999Z-000007.jsonl", "29991231T235959999Z-000008.jsonl");
    assertThat(dev.sluice.core.internal.JsonLinesState.read(dir, "charges").get("ch_1").getLong("v"))
        .isEqualTo(2L);
  }
}
