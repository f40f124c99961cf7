package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.internal.JsonLinesState;
import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit records of the JSON Lines sink on disk: a crash after the record was written but
 * before the files were renamed is finished by the next sink, old records are removed, and a record
 * that is not the sink's is refused with its file named.
 */
class CommitRecordTest {
  @TempDir Path dir;

  private static ChangeEnvelope change(String id) {
    return ChangeEnvelope.upsert("charges", id, Instant.EPOCH,
        DataRecord.builder().put("id", id).put("amount", 100L).build());
  }

  private List<Path> records() throws IOException {
    Path commits = dir.resolve(".sluice/commits");
    try (Stream<Path> s = Files.list(commits)) {
      return s.sorted().toList();
    }
  }

  private static List<Path> list(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    }
  }

  @Test
  void aCrashBetweenTheRecordAndTheRenamesIsFinishedByTheNextSink() throws IOException {
    Sink sink = Sinks.jsonLines(dir);
    sink.write("charges", List.of(change("ch_1")));
    sink.stageCheckpoints(Map.of("charges", "1"));
    sink.commit();
    sink.write("charges", List.of(change("ch_2"), change("ch_3")));
    sink.stageCheckpoints(Map.of("charges", "3"));
    sink.commit();
    // Put the second batch's files back under their temporary names: what a crash right after the
    // commit record was written leaves on disk.
    Path data = list(dir.resolve("charges")).get(1);
    String base = data.getFileName().toString().replace(".jsonl", "");
    Path index = dir.resolve(".sluice/ids/charges/" + base + ".ids");
    Files.move(data, data.resolveSibling("." + base + ".jsonl.tmp"));
    Files.move(index, index.resolveSibling(base + ".ids.tmp"));
    assertThat(JsonLinesState.read(dir, "charges")).containsOnlyKeys("ch_1");

    Sink next = Sinks.jsonLines(dir);
    assertThat(next.checkpoint("charges")).contains("3");
    assertThat(JsonLinesState.read(dir, "charges")).containsOnlyKeys("ch_1", "ch_2", "ch_3");
    assertThat(list(dir.resolve("charges"))).extracting(p -> p.getFileName().toString())
        .noneMatch(n -> n.startsWith("."));
  }

  @Test
  void recordsWhoseCheckpointsWereCommittedAgainAreRemoved() throws IOException {
    Sink sink = Sinks.jsonLines(dir);
    for (int i = 0; i < 5; i++) {
      sink.write("charges", List.of(change("ch_" + i)));
      sink.stageCheckpoints(Map.of("charges", String.valueOf(i)));
      sink.commit();
    }
    sink.stageCheckpoints(Map.of("refunds", "r"));
    sink.commit();
    assertThat(records()).as("the last record of each key").hasSize(2);
    assertThat(Sinks.jsonLines(dir).checkpoint("charges")).contains("4");
    assertThat(Sinks.jsonLines(dir).checkpoint("refunds")).contains("r");
  }

  @Test
  void aRecordThatIsNotTheSinksIsRefusedWithItsFileNamed() throws IOException {
    Sink sink = Sinks.jsonLines(dir);
    sink.write("charges", List.of(change("ch_1")));
    sink.stageCheckpoints(Map.of("charges", "1"));
    sink.commit();
    Path record = records().get(0);
    Files.writeString(record, "{\"moves\":[{\"from\":\"../../etc/x\",\"to\":\"charges/x.jsonl\"}],"
        + "\"checkpoints\":{}}", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Sinks.jsonLines(dir).checkpoint("charges"))
        .isInstanceOf(SinkException.class)
        .hasMessageContaining(record.toString())
        .hasMessageContaining("not under the sink's root");

    Files.writeString(record, "{\"moves\":", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Sinks.jsonLines(dir).write("charges", List.of(change("ch_2"))))
        .isInstanceOf(SinkException.class)
        .hasMessageContaining(record.toString())
        .hasMessageContaining("not valid JSON");
  }
}
