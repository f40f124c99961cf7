package dev.sluice.core.internal;

import dev.sluice.core.FlowRun;
import dev.sluice.core.RowError;
import dev.sluice.core.RunError;
import dev.sluice.core.RunHistory;
import dev.sluice.core.RunQuery;
import dev.sluice.core.RunStatus;
import dev.sluice.core.SchemaChange;
import dev.sluice.core.SluiceException;
import dev.sluice.xdm.DataRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RunHistory} in files: {@code runs.jsonl} gets one line per recorded version of a run
 * (the last line of a run id wins); {@code row-errors/<runId>.jsonl} holds a run's rejected
 * records, deleted once the run is no longer among the last {@code rowErrorRuns} of its flow.
 */
public final class DirectoryRunHistory implements RunHistory {
  private final Path directory;
  private final Path runsFile;
  private final Path rowErrorDir;
  private final int rowErrorRuns;

  /**
   * A history under {@code directory} (created on the first write) that keeps row errors for the
   * last {@code rowErrorRuns} runs of each flow.
   */
  public DirectoryRunHistory(Path directory, int rowErrorRuns) {
    this.directory = directory;
    this.runsFile = directory.resolve("runs.jsonl");
    this.rowErrorDir = directory.resolve("row-errors");
    this.rowErrorRuns = rowErrorRuns;
  }

  @Override
  public synchronized void record(FlowRun run) {
    append(runsFile, List.of(encode(run).toJson()));
    if (run.status().isFinal()) {
      pruneRowErrors(run.flowId());
    }
  }

  /**
   * Deletes the row error files of the flow's runs past the last {@code rowErrorRuns}. Only files
   * that are there are deleted: the folder is listed once, rather than trying a delete for every
   * older run the history holds.
   */
  private void pruneRowErrors(String flowId) {
    try {
      Set<Path> present = new HashSet<>();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(rowErrorDir)) {
        files.forEach(present::add);
      } catch (NoSuchFileException e) {
        return;
      }
      if (present.isEmpty()) {
        return;
      }
      List<FlowRun> ofFlow = runs(RunQuery.builder().flowId(flowId).limit(Integer.MAX_VALUE).build());
      for (int i = rowErrorRuns; i < ofFlow.size(); i++) {
        Path file = rowErrorFile(ofFlow.get(i).runId());
        if (present.contains(file)) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      throw new SluiceException("Cannot prune row errors in " + rowErrorDir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void recordRowErrors(String flowId, String runId, List<RowError> errors) {
    List<String> lines = new ArrayList<>(errors.size());
    for (RowError e : errors) {
      List<Object> list = new ArrayList<>();
      for (RunError r : e.errors()) {
        list.add(encode(r));
      }
      lines.add(DataRecord.builder().put("record_id", e.recordId()).put("record", e.record())
          .put("errors", list).build().toJson());
    }
    append(rowErrorFile(runId), lines);
  }

  @Override
  public synchronized List<FlowRun> runs(RunQuery query) {
    return readAll().values().stream()
        .filter(query::matches)
        .sorted(Comparator.comparing(FlowRun::startedAt).reversed())
        .limit(query.limit())
        .toList();
  }

  @Override
  public synchronized Optional<FlowRun> run(String runId) {
    return Optional.ofNullable(readAll().get(runId));
  }

  @Override
  public synchronized List<RowError> rowErrors(String runId) {
    List<RowError> result = new ArrayList<>();
    for (String line : readLines(rowErrorFile(runId))) {
      DataRecord r = DataRecord.fromJson(line);
      List<RunError> errors = new ArrayList<>();
      for (Object o : r.getList("errors")) {
        errors.add(decodeError((DataRecord) o));
      }
      result.add(new RowError(r.getString("record_id"), r.getRecord("record"), errors));
    }
    return result;
  }

  private Map<String, FlowRun> readAll() {
    Map<String, FlowRun> runs = new LinkedHashMap<>();
    for (String line : readLines(runsFile)) {
      if (line.isBlank()) {
        continue;
      }
      FlowRun run;
      try {
        run = decode(DataRecord.fromJson(line));
      } catch (RuntimeException e) {
        continue; // a line cut by a crash
      }
      runs.put(run.runId(), run);
    }
    return runs;
  }

  private Path rowErrorFile(String runId) {
    return rowErrorDir.resolve(runId.replaceAll("[^A-Za-z0-9_.-]", "_") + ".jsonl");
  }

  private static List<String> readLines(Path file) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
      }
    } catch (NoSuchFileException e) {
      return lines;
    } catch (IOException e) {
      throw new SluiceException("Cannot read run history " + file + ": " + e.getMessage(), e);
    }
    return lines;
  }

  private static void append(Path file, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new SluiceException("Cannot write run history " + file + ": " + e.getMessage(), e);
    }
  }

  static DataRecord encode(FlowRun run) {
    List<Object> errors = new ArrayList<>();
    for (RunError e : run.errors()) {
      errors.add(encode(e));
    }
    return DataRecord.builder()
        .put("run_id", run.runId())
        .put("flow_id", run.flowId())
        .put("dataset", run.dataset())
        .put("status", run.status().name())
        .put("started_at", run.startedAt().toString())
        .put("ended_at", run.endedAt() == null ? null : run.endedAt().toString())
        .put("records_read", run.recordsRead())
        .put("records_written", run.recordsWritten())
        .put("records_failed", run.recordsFailed())
        .put("pages", run.pages())
        .put("requests", run.requests())
        .put("bytes_read", run.bytesRead())
        .put("errors", errors)
        .put("records_skipped", run.recordsSkipped())
        .put("records_deleted", run.recordsDeleted())
        .put("bytes_written", run.bytesWritten())
        .put("retries", run.retries())
        .put("window_start", run.windowStart() == null ? null : run.windowStart().toString())
        .put("window_end", run.windowEnd() == null ? null : run.windowEnd().toString())
        .put("full_refresh", run.fullRefresh())
        .put("schema_changes", run.schemaChanges().stream().map(DirectoryRunHistory::encode).toList())
        .put("api_version", run.apiVersion())
        .put("api_version_before", run.apiVersionBefore())
        .build();
  }

  private static DataRecord encode(SchemaChange c) {
    return DataRecord.builder().put("dataset", c.dataset()).put("field", c.field())
        .put("from", c.from()).put("to", c.to()).put("at", c.at().toString()).build();
  }

  private static DataRecord encode(RunError e) {
    return DataRecord.builder().put("code", e.code()).put("message", e.message())
        .put("record_id", e.recordId()).build();
  }

  private static RunError decodeError(DataRecord r) {
    return new RunError(r.getString("code"), r.getString("message"), r.getString("record_id"));
  }

  static FlowRun decode(DataRecord r) {
    List<RunError> errors = new ArrayList<>();
    for (Object o : r.getList("errors")) {
      errors.add(decodeError((DataRecord) o));
    }
    return new FlowRun(r.getString("run_id"), r.getString("flow_id"), r.getString("dataset"),
        RunStatus.valueOf(r.getString("status")), Instant.parse(r.getString("started_at")),
        instant(r.getString("ended_at")), r.getLong("records_read"), r.getLong("records_written"),
        r.getLong("records_failed"), r.getLong("pages"), r.getLong("requests"),
        r.getLong("bytes_read"), errors, r.getLong("records_skipped"), r.getLong("records_deleted"),
        r.getLong("bytes_written"), r.getLong("retries"), instant(r.getString("window_start")),
        instant(r.getString("window_end")), r.getBoolean("full_refresh"), schemaChanges(r),
        r.getString("api_version"), r.getString("api_version_before"));
  }

  /** The schema changes of a run line; none in lines written before they were recorded. */
  private static List<SchemaChange> schemaChanges(DataRecord r) {
    List<SchemaChange> changes = new ArrayList<>();
    if (r.get("schema_changes") instanceof List<?> list) {
      for (Object o : list) {
        DataRecord c = (DataRecord) o;
        changes.add(new SchemaChange(c.getString("dataset"), c.getString("field"),
            c.getString("from"), c.getString("to"), Instant.parse(c.getString("at"))));
      }
    }
    return changes;
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  @Override
  public String toString() {
    return "RunHistories.directory(" + directory + ")";
  }
}
