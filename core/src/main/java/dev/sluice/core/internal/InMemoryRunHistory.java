package dev.sluice.core.internal;

import dev.sluice.core.FlowRun;
import dev.sluice.core.RowError;
import dev.sluice.core.RunHistory;
import dev.sluice.core.RunQuery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link RunHistory} in memory, bounded per flow. */
public final class InMemoryRunHistory implements RunHistory {
  private final int runsPerFlow;
  private final int rowErrorRuns;
  private final Map<String, FlowRun> runs = new LinkedHashMap<>();
  private final Map<String, Deque<String>> runIdsByFlow = new HashMap<>();
  private final Map<String, List<RowError>> rowErrors = new HashMap<>();

  /**
   * A history keeping the last {@code runsPerFlow} runs of each flow, and the row errors of the
   * last {@code rowErrorRuns} of them.
   */
  public InMemoryRunHistory(int runsPerFlow, int rowErrorRuns) {
    this.runsPerFlow = runsPerFlow;
    this.rowErrorRuns = rowErrorRuns;
  }

  @Override
  public synchronized void record(FlowRun run) {
    if (runs.put(run.runId(), run) == null) {
      Deque<String> ids = runIdsByFlow.computeIfAbsent(run.flowId(), k -> new ArrayDeque<>());
      ids.addFirst(run.runId());
      while (ids.size() > runsPerFlow) {
        String old = ids.removeLast();
        runs.remove(old);
        rowErrors.remove(old);
      }
      int i = 0;
      for (String id : ids) {
        if (i++ >= rowErrorRuns) {
          rowErrors.remove(id);
        }
      }
    }
  }

  @Override
  public synchronized void recordRowErrors(String flowId, String runId, List<RowError> errors) {
    Deque<String> ids = runIdsByFlow.get(flowId);
    if (ids != null && ids.contains(runId) && !errors.isEmpty()) {
      rowErrors.computeIfAbsent(runId, k -> new ArrayList<>()).addAll(errors);
    }
  }

  @Override
  public synchronized List<FlowRun> runs(RunQuery query) {
    return runs.values().stream()
        .filter(query::matches)
        .sorted(Comparator.comparing(FlowRun::startedAt).reversed())
        .limit(query.limit())
        .toList();
  }

  @Override
  public synchronized Optional<FlowRun> run(String runId) {
    return Optional.ofNullable(runs.get(runId));
  }

  @Override
  public synchronized List<RowError> rowErrors(String runId) {
    return List.copyOf(rowErrors.getOrDefault(runId, List.of()));
  }

  @Override
  public String toString() {
    return "RunHistories.inMemory()";
  }
}
