package dev.sluice.sink.parquet;

import dev.sluice.core.Sink;
import dev.sluice.core.contract.SinkContractTest;
import dev.sluice.xdm.DataRecord;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The Sink contract suite against the Parquet sink, the store read back by DuckDB. */
class ParquetSinkContractTest {

  /** The change files, read by DuckDB and folded into the current state. */
  @Nested
  class ChangeFiles extends SinkContractTest {
    @TempDir Path dir;

    @Override
    protected Sink openSink() {
      return ParquetSink.builder().root(dir).build();
    }

    @Override
    protected Map<String, DataRecord> currentState(String dataset) {
      try {
        return DuckDb.currentState(DuckDb.changes(dir, dataset));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** With compaction after each commit, the snapshot alone (read by DuckDB) is the current state. */
  @Nested
  class Snapshot extends SinkContractTest {
    @TempDir Path dir;

    @Override
    protected Sink openSink() {
      return ParquetSink.builder().root(dir).compression(Compression.SNAPPY).compactAfterCommit(true).build();
    }

    @Override
    protected Map<String, DataRecord> currentState(String dataset) {
      if (!dir.resolve(dataset).resolve("current/snapshot.parquet").toFile().exists()) {
        return Map.of();
      }
      return DuckDb.currentState(DuckDb.snapshot(dir, dataset));
    }
  }
}
