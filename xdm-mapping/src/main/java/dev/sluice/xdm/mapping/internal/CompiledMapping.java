package dev.sluice.xdm.mapping.internal;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.mapping.Mapping;
import dev.sluice.xdm.mapping.MappingError;
import dev.sluice.xdm.mapping.MappingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A compiled mapping set: an array of rules with precompiled paths and expressions. Immutable and
 * safe to share between threads; each {@link #apply} builds its own output tree.
 */
public final class CompiledMapping implements Mapping {
  private final CompiledRule[] rules;
  private final RecordChecker checker;
  /** The text-to-text path, when the rules allow one (see {@link TextPlan}); else null. */
  private final TextPlan textPlan;

  CompiledMapping(List<CompiledRule> rules, RecordChecker checker) {
    this.rules = rules.toArray(new CompiledRule[0]);
    this.checker = checker;
    this.textPlan = checker == null ? TextPlan.of(rules) : null;
  }

  /** Whether {@link #applyJson} can map text to text without building records. */
  public boolean mapsTextDirectly() {
    return textPlan != null;
  }

  /**
   * Maps a record's JSON text. When the rules allow it (attribute copies and constants along
   * plain field names, no target schema), the output text is written straight from the input
   * text, with exactly the result {@link #apply} would give; otherwise, and for any record the
   * direct path cannot copy exactly, this is {@code apply(DataRecord.fromJson(sourceJson))}.
   */
  @Override
  public MappingResult applyJson(String sourceJson) {
    Objects.requireNonNull(sourceJson, "sourceJson == null");
    if (textPlan != null) {
      String out = textPlan.map(sourceJson);
      if (out != null) {
        return MappingResult.ofJson(out);
      }
    }
    return apply(DataRecord.fromJson(sourceJson));
  }

  /** The compiled rules, in order. */
  public List<CompiledRule> rules() {
    return List.of(rules);
  }

  @Override
  public MappingResult apply(DataRecord source) {
    Objects.requireNonNull(source, "source == null");
    OutputTree tree = new OutputTree();
    List<MappingError> errors = null;
    for (CompiledRule r : rules) {
      Object value;
      try {
        value = r.source.evaluate(source);
      } catch (EvalException e) {
        errors = add(errors, warning("EXPRESSION_FAILED", r, source, e.getMessage()));
        value = null;
      } catch (RuntimeException e) {
        errors = add(errors, warning("EXPRESSION_FAILED", r, source, String.valueOf(e)));
        value = null;
      }
      if (value == Path.ABSENT) {
        continue;
      }
      try {
        tree.put(r.destination.segments(), value, r.depth);
      } catch (OutputTree.NotAnArrayException e) {
        errors = add(errors, warning("NOT_AN_ARRAY", r, source, e.getMessage()));
      }
    }
    DataRecord out = tree.build();
    if (checker != null) {
      return checker.check(out, errors == null ? new ArrayList<>() : errors, recordId(source));
    }
    return errors == null ? MappingResult.of(out) : MappingResult.withWarnings(out, errors);
  }

  private static List<MappingError> add(List<MappingError> errors, MappingError e) {
    if (errors == null) {
      errors = new ArrayList<>(4);
    }
    errors.add(e);
    return errors;
  }

  private static MappingError warning(String code, CompiledRule r, DataRecord source, String message) {
    return new MappingError(
        code, r.rule.source(), r.destinationText, recordId(source), message, false);
  }

  static String recordId(DataRecord source) {
    Object id = source.get("id");
    return id instanceof String ? (String) id : null;
  }

  /** Checks (and converts) a built record against a target schema. */
  public interface RecordChecker {
    /** Returns the final result for one record, adding to {@code errors} as needed. */
    MappingResult check(DataRecord record, List<MappingError> errors, String recordId);
  }
}
