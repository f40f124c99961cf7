package dev.sluice.core;

import dev.sluice.core.internal.JsonLinesSink;
import java.nio.file.Path;
import java.util.Objects;

/** The built-in {@link Sink}s. */
public final class Sinks {
  private Sinks() {}

  /**
   * A sink writing JSON Lines files: {@code root/<dataset>/*.jsonl}, one file per committed batch,
   * one line per record version, in the order written.
   *
   * <p>Each batch is written under a hidden temporary name ({@code .<name>.jsonl.tmp}) and renamed
   * into place by {@link Sink#commit()}, so readers never see a half-written file; temporary files
   * left by a crash are removed when the next sink over the same directory writes to that dataset.
   * Files are named so that sorting their names gives commit order. A delete is written as Stripe
   * writes a deleted object: {@code {"id": …, "object": …, "deleted": true}}.
   *
   * <p>For each data file an index {@code root/.sluice/ids/<dataset>/<name>.ids} holds each line's
   * operation and id, so the sink can list the ids of its current state (the last version of each
   * id over the files in name order, deletes removing) even when a mapping moved the id field.
   * A new file's name always sorts after the dataset's existing ones, even if the clock went back.
   *
   * <p>The sink {@linkplain Sink#storesCheckpoints() stores checkpoints}: a commit with checkpoints
   * staged first writes a record {@code root/.sluice/commits/<n>.json} naming the batch files and
   * the checkpoints, then renames the files; a sink opened after a crash in between finishes the
   * renames (until then a reader of the folder does not see that batch). A record is removed once
   * each of its checkpoint keys was committed again.
   */
  public static Sink jsonLines(Path root) {
    return new JsonLinesSink(Objects.requireNonNull(root, "root == null"));
  }

  /**
   * A sink keeping each dataset's current state in memory, readable with {@link
   * InMemorySink#currentState(String)}: for tests and small in-process pipelines.
   */
  public static InMemorySink inMemory() {
    return new InMemorySink();
  }
}
