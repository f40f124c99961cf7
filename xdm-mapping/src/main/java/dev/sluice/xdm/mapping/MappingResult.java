package dev.sluice.xdm.mapping;

import dev.sluice.xdm.DataRecord;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Mapping} made of one record: the output record (absent when the record was
 * rejected) and the errors and warnings met on the way.
 *
 * <p>As in Adobe's Data Prep, a field whose value could not be computed is left out or set to
 * {@code null} and noted with a warning, while a record that cannot be made valid (a required field
 * missing, a value the target schema refuses) is rejected: {@link #isRejected()} is true and {@link
 * #record()} is {@code null}.
 */
public final class MappingResult {
  private final DataRecord record;
  private final List<MappingError> errors;

  private MappingResult(DataRecord record, List<MappingError> errors) {
    this.record = record;
    this.errors = List.copyOf(errors);
  }

  /** A mapped record with no errors. */
  public static MappingResult of(DataRecord record) {
    return new MappingResult(Objects.requireNonNull(record, "record == null"), List.of());
  }

  /** A mapped record with warnings (fields that could not be computed). */
  public static MappingResult withWarnings(DataRecord record, List<MappingError> warnings) {
    return new MappingResult(Objects.requireNonNull(record, "record == null"), warnings);
  }

  /**
   * A rejected record.
   *
   * @throws IllegalArgumentException if {@code errors} is empty: a rejection must say why
   */
  public static MappingResult rejected(List<MappingError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a rejected record needs at least one error");
    }
    return new MappingResult(null, errors);
  }

  /** The output record, or {@code null} if the record was rejected. */
  public DataRecord record() {
    return record;
  }

  /** Whether the record was rejected (no output). */
  public boolean isRejected() {
    return record == null;
  }

  /** The errors and warnings, in the order they were met; empty for a clean mapping. */
  public List<MappingError> errors() {
    return errors;
  }

  @Override
  public String toString() {
    return isRejected() ? "rejected " + errors : record + (errors.isEmpty() ? "" : " " + errors);
  }
}
