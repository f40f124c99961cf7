package dev.sluice.xdm.mapping;

import dev.sluice.xdm.DataRecord;

/** Compiles a golden case's set, with its schema when it has one. */
final class GoldenSupport {
  private GoldenSupport() {}

  static Mapping compile(MappingSet set, String tenant, DataRecord test) {
    return set.compile(tenant);
  }
}
