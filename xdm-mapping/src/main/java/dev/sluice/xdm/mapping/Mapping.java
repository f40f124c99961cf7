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

  /**
   * Maps one record given as JSON text (an object) and gives the result with the output as JSON
   * text too ({@link MappingResult#json()}). The result is the same as {@code
   * apply(DataRecord.fromJson(sourceJson))}; a compiled {@link MappingSet} made of attribute
   * copies and constants, with no target schema, writes the output straight from the input text,
   * several times faster than building both records.
   *
   * @throws dev.sluice.xdm.JsonFormatException if the text is not a JSON object
   */
  default MappingResult applyJson(String sourceJson) {
    return apply(DataRecord.fromJson(sourceJson));
  }

  /** The mapping that writes each record as it is: the Stripe object itself. */
  static Mapping identity() {
    return MappingResult::of;
  }
}
