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

  CompiledMapping(List<CompiledRule> rules, RecordChecker checker) {
    this.rules = rules.toArray(new CompiledRule[0]);
    this.checker = checker;
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
