package dev.sluice.core;

import dev.sluice.xdm.DataRecord;
import java.util.List;
import java.util.Objects;

/**
 * A record a run's mapping rejected, kept so it can be looked at and fixed: the record as the
 * source gave it and every error the mapping found in it. Read them with {@link
 * RunHistory#rowErrors(String)}.
 *
 * @param recordId the record's id
 * @param record the record as read from the source, before mapping
 * @param errors what the mapping said, each with the record's id
 */
public record RowError(String recordId, DataRecord record, List<RunError> errors) {
  /** Checks the fields and copies the list. */
  public RowError {
    Objects.requireNonNull(recordId, "recordId == null");
    Objects.requireNonNull(record, "record == null");
    errors = List.copyOf(errors);
  }
}
