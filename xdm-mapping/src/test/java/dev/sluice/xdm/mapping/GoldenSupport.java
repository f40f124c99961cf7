package dev.sluice.xdm.mapping;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.schema.XdmSchema;

/** Compiles a golden case's set, with its schema when it has one. */
final class GoldenSupport {
  private GoldenSupport() {}

  static Mapping compile(MappingSet set, String tenant, DataRecord test) {
    if (test.has("schema")) {
      return set.compile(tenant, XdmSchema.fromJson(test.getRecord("schema").toJson()));
    }
    return set.compile(tenant);
  }
}
