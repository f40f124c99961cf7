package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.mapping.MappingError;
import dev.sluice.xdm.mapping.MappingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowTest {
  @TempDir Path dir;

  /** A source of {@code total} records in pages of {@code pageSize}; its checkpoint is the offset. */
  static final class CountingSource implements ChangeSource {
    final int total;
    final int pageSize;
    final int failAtOffset;
    final List<String> checkpointsSeen = new ArrayList<>();

    CountingSource(int total, int pageSize, int failAtOffset) {
      this.total = total;
      this.pageSize = pageSize;
      this.failAtOffset = failAtOffset;
    }

    @Override
    public String dataset() {
      return "things";
    }

    @Override
    public void read(String checkpoint, PageConsumer consumer) {
      checkpointsSeen.add(checkpoint);
      int offset = checkpoint == null ? 0 : Integer.parseInt(checkpoint);
      while (offset < total) {
        if (offset == failAtOffset) {
          throw new SluiceException("source broke at " + offset);
        }
        List<ChangeEnvelope> page = new ArrayList<>();
        for (int i = offset; i < Math.min(total, offset + pageSize); i++) {
          page.add(ChangeEnvelope.upsert("things", "th_" + i, Instant.ofEpochSecond(i),
              DataRecord.builder().put("id", "th_" + i).put("n", i).build()));
        }
        offset += page.size();
        consumer.accept(new Page(page, String.valueOf(offset), 1, 100));
      }
    }
  }

  /** A source that fails at once. */
  static ChangeSource failingSource() {
    return new CountingSource(10, 5, 0);
  }

  /** A sink that takes everything and keeps nothing, and counts no bytes. */
  static final class CountingSink implements Sink {
    long commits;

    @Override
    public void write(String dataset, List<ChangeEnvelope> changes) {}

    @Override
    public void commit() {
      commits++;
    }
  }

  private List<String> linesOf(Path datasetDir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(datasetDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    return lines;
  }

  @Test
  void runsEveryRecordIntoJsonLinesAndSavesTheCheckpoint() throws IOException {
    StateStore state = StateStores.directory(dir.resolve(".sluice"));
    Flow flow = Flow.builder().source(new CountingSource(250, 100, -1))
        .into(Sinks.jsonLines(dir)).stateStore(state).batchSize(100).build();

    FlowRun run = flow.runOnce();

    assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(run.recordsRead()).isEqualTo(250);
    assertThat(run.recordsWritten()).isEqualTo(250);
    assertThat(run.pages()).isEqualTo(3);
    assertThat(linesOf(dir.resolve("things"))).hasSize(250).first().isEqualTo("{\"id\":\"th_0\",\"n\":0}");
    assertThat(state.load("things")).contains("250");
    try (Stream<Path> files = Files.list(dir.resolve("things"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .hasSize(3).allMatch(n -> n.matches("\\d{8}T\\d{9}Z-\\d{6}\\.jsonl"));
    }
  }

  @Test
  void aSecondRunStartsFromTheCheckpoint() throws IOException {
    StateStore state = StateStores.inMemory();
    CountingSource source = new CountingSource(30, 10, -1);
    Flow flow = Flow.builder().source(source).into(Sinks.jsonLines(dir)).stateStore(state).build();
    flow.runOnce();
    FlowRun second = flow.runOnce();
    assertThat(source.checkpointsSeen).containsExactly(null, "30");
    assertThat(second.recordsRead()).isZero();
    assertThat(linesOf(dir.resolve("things"))).hasSize(30);
  }

  @Test
  void aFailureKeepsCommittedBatchesAndTheCheckpointOfTheLastCommit() throws IOException {
    StateStore state = StateStores.inMemory();
    Flow flow = Flow.builder().source(new CountingSource(100, 10, 50))
        .into(Sinks.jsonLines(dir)).stateStore(state).batchSize(20).build();

    FlowRun run = flow.runOnce();

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.failureMessage()).isEqualTo("source broke at 50");
    // Batches of 20 were committed at 20 and 40; the page 40-50 was staged, then dropped.
    assertThat(run.recordsWritten()).isEqualTo(40);
    assertThat(state.load("things")).contains("40");
    assertThat(linesOf(dir.resolve("things"))).hasSize(40);
    try (Stream<Path> files = Files.list(dir.resolve("things"))) {
      assertThat(files.map(Path::toString)).noneMatch(n -> n.endsWith(".tmp"));
    }

    // The next run resumes from 40 and ends with every record exactly once.
    FlowRun resumed = flow.newBuilder()
        .source(new CountingSource(100, 10, -1)).build().runOnce();
    assertThat(resumed.status()).isEqualTo(RunStatus.SUCCESS);
    List<String> lines = linesOf(dir.resolve("things"));
    assertThat(lines).hasSize(100).doesNotHaveDuplicates();
  }

  @Test
  void aFailingCommitDoesNotMoveTheCheckpoint() {
    StateStore state = StateStores.inMemory();
    Sink failing = new Sink() {
      @Override
      public void write(String dataset, List<ChangeEnvelope> changes) {}

      @Override
      public void commit() {
        throw new SinkException("disk full", null);
      }
    };
    FlowRun run = Flow.builder().source(new CountingSource(10, 5, -1)).into(failing)
        .stateStore(state).build().runOnce();
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.errors().get(0).code()).isEqualTo("SINK_FAILED");
    assertThat(state.load("things")).isEmpty();
  }

  @Test
  void rejectedRecordsMakeAPartialSuccessWithRowErrors() {
    Flow flow = Flow.builder().source(new CountingSource(10, 10, -1))
        .mapping(r -> ((Long) r.get("n")) % 5 == 0
            ? MappingResult.rejected(List.of(new MappingError("REQUIRED_FIELD_MISSING", "data.x",
                "_t.x", r.getString("id"), "x is required", true)))
            : MappingResult.of(r))
        .into(Sinks.jsonLines(dir)).build();
    FlowRun run = flow.runOnce();
    assertThat(run.status()).isEqualTo(RunStatus.PARTIAL_SUCCESS);
    assertThat(run.recordsFailed()).isEqualTo(2);
    assertThat(run.recordsWritten()).isEqualTo(8);
    assertThat(run.errors()).extracting(RunError::recordId).containsExactly("th_0", "th_5");
  }

  @Test
  void deletesAreWrittenAsStripeDeletedObjects() throws IOException {
    ChangeSource source = new ChangeSource() {
      @Override
      public String dataset() {
        return "customers";
      }

      @Override
      public void read(String checkpoint, PageConsumer consumer) {
        consumer.accept(new Page(List.of(
            ChangeEnvelope.delete("customers", "cus_1", "customer", Instant.EPOCH)), "c", 1, 0));
      }
    };
    Flow.builder().source(source).into(Sinks.jsonLines(dir)).build().runOnce();
    assertThat(linesOf(dir.resolve("customers")))
        .containsExactly("{\"id\":\"cus_1\",\"object\":\"customer\",\"deleted\":true}");
  }

  @Test
  void buildListsEveryMissingPart() {
    assertThatThrownBy(() -> Flow.builder().build())
        .isInstanceOf(FlowDefinitionException.class)
        .satisfies(e -> assertThat(((FlowDefinitionException) e).problems()).hasSize(2))
        .hasMessageContaining("source is not set")
        .hasMessageContaining("sink is not set");
  }
}
