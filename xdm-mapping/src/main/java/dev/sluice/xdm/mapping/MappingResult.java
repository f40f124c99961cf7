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
  /**
   * The output record; made from {@link #json} on first use when the result came as text. Both
   * are immutable, so a race only makes the same value twice.
   */
  private DataRecord record;
  /** The output as JSON text; written from {@link #record} on first use when not given. */
  private String json;
  private final List<MappingError> errors;

  private MappingResult(DataRecord record, String json, List<MappingError> errors) {
    this.record = record;
    this.json = json;
    this.errors = List.copyOf(errors);
  }

  private MappingResult(DataRecord record, List<MappingError> errors) {
    this(record, null, errors);
  }

  /**
   * A mapped record with no errors, given as its JSON text (what {@link Mapping#applyJson}
   * writes); {@link #record()} parses it when first asked, and throws {@link
   * dev.sluice.xdm.JsonFormatException} then if the text is not a JSON object.
   *
   * @throws IllegalArgumentException if the text does not start as a JSON object
   */
  public static MappingResult ofJson(String json) {
    Objects.requireNonNull(json, "json == null");
    if (json.isEmpty() || json.charAt(0) != '{') {
      throw new IllegalArgumentException("an output record's text must be a JSON object");
    }
    return new MappingResult(null, json, List.of());
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
    DataRecord r = record;
    if (r == null && json != null) {
      r = DataRecord.fromJson(json);
      record = r;
    }
    return r;
  }

  /**
   * The output record as compact JSON text (keys in order, {@code null}s kept, as {@link
   * DataRecord#toJson()} writes it), or {@code null} if the record was rejected.
   */
  public String json() {
    String j = json;
    if (j == null && record != null) {
      j = record.toJson();
      json = j;
    }
    return j;
  }

  /** Whether the record was rejected (no output). */
  public boolean isRejected() {
    return record == null && json == null;
  }

  /** The errors and warnings, in the order they were met; empty for a clean mapping. */
  public List<MappingError> errors() {
    return errors;
  }

  @Override
  public String toString() {
    return isRejected() ? "rejected " + errors : json() + (errors.isEmpty() ? "" : " " + errors);
  }
}
