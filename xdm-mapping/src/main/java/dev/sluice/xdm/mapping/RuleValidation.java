package dev.sluice.xdm.mapping;

import java.util.List;
import java.util.Objects;

/**
 * The verdict on one rule of a mapping set, as Data Prep's validate call gives it: the rule, its
 * position, and what is wrong with it (nothing if it is valid).
 *
 * <pre>{@code
 * for (RuleValidation v : set.validate("acme")) {
 *   if (!v.isValid()) System.out.println("rule " + v.index() + ": " + v.problems());
 * }
 * }</pre>
 */
public final class RuleValidation {
  private final int index;
  private final MappingRule rule;
  private final List<String> problems;

  RuleValidation(int index, MappingRule rule, List<String> problems) {
    this.index = index;
    this.rule = Objects.requireNonNull(rule, "rule == null");
    this.problems = List.copyOf(problems);
  }

  /** The rule's position in the set, from 0. */
  public int index() {
    return index;
  }

  /** The rule. */
  public MappingRule rule() {
    return rule;
  }

  /** Whether the rule compiles (against the schema, when one was given). */
  public boolean isValid() {
    return problems.isEmpty();
  }

  /** What is wrong with the rule; empty if it is valid. */
  public List<String> problems() {
    return problems;
  }

  @Override
  public String toString() {
    return "#" + (index + 1) + " " + rule + (isValid() ? ": valid" : ": " + problems);
  }
}
