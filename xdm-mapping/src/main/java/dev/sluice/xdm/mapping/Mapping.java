package dev.sluice.xdm.mapping;

import dev.sluice.xdm.DataRecord;

/**
 * Turns one source record (a Stripe object) into one target record (an XDM record).
 *
 * <p>A mapping is compiled once and then applied to many records; implementations must be
 * immutable and safe to call from several threads at once. Bad data never throws out of {@link
 * #apply}: problems come back as {@link MappingError}s in the {@link MappingResult}, and a record
 * that cannot be mapped is rejected there.
 *
 * <pre>{@code
 * Mapping mapping = Mapping.identity();
 * MappingResult result = mapping.apply(DataRecord.fromJson("{\"id\":\"ch_1\"}"));
 * result.record();   // {"id":"ch_1"}
 * }</pre>
 */
@FunctionalInterface
public interface Mapping {

  /** Maps one record. Never throws for bad data; see {@link MappingResult}. */
  MappingResult apply(DataRecord source);

  /** The mapping that writes each record as it is: the Stripe object itself. */
  static Mapping identity() {
    return MappingResult::of;
  }
}
