package dev.sluice.xdm.mapping.internal;

import dev.sluice.xdm.DataRecord;

/** Computes one rule's value from a source record; compiled once, called for every record. */
public interface ValueSource {
  /**
   * Returns the value, JSON {@code null}, or {@link Path#ABSENT} when the source has no value.
   *
   * @throws EvalException when the value cannot be computed from this record's data
   */
  Object evaluate(DataRecord record);

  /** Reads a source path; the path's first segment must be {@code data}, the wrapper. */
  static ValueSource attribute(Path path) {
    Path.Segment[] segs = path.segments();
    return record -> Path.read(record, segs, 1);
  }

  /** Always the same value. */
  static ValueSource constant(Object value) {
    return record -> value;
  }
}
