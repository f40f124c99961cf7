package dev.sluice.xdm.mapping.internal;

import dev.sluice.xdm.mapping.MappingRule;

/** One rule ready to run: its value source and its parsed, tenant-bound destination. */
public final class CompiledRule {
  final MappingRule rule;
  final ValueSource source;
  final Path destination;
  final String destinationText;
  final int depth;

  CompiledRule(MappingRule rule, ValueSource source, Path destination) {
    this.rule = rule;
    this.source = source;
    this.destination = destination;
    this.destinationText = destination.text();
    this.depth = destination.length();
  }

  /** The rule as written. */
  public MappingRule rule() {
    return rule;
  }

  /** The destination with the tenant bound. */
  public String destination() {
    return destinationText;
  }
}
