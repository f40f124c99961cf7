package dev.sluice.xdm.mapping;

import java.util.Objects;

/**
 * One problem met while mapping one record, in the shape of Adobe Data Prep's row errors: a code,
 * the source and destination paths involved, the id of the record, and a message a person can act
 * on.
 *
 * @param code a stable machine-readable code, such as {@code "EXPRESSION_FAILED"} or {@code
 *     "REQUIRED_FIELD_MISSING"}
 * @param sourcePath the source path or expression, or {@code null} when none applies
 * @param destinationPath the destination path, or {@code null} when none applies
 * @param recordId the source record's {@code id}, or {@code null} when it has none
 * @param message what went wrong and what to do about it
 * @param rejectsRecord whether this error rejects the whole record (otherwise it is a warning)
 */
public record MappingError(
    String code,
    String sourcePath,
    String destinationPath,
    String recordId,
    String message,
    boolean rejectsRecord) {

  /** Checks that code and message are given. */
  public MappingError {
    Objects.requireNonNull(code, "code == null");
    Objects.requireNonNull(message, "message == null");
  }

  @Override
  public String toString() {
    return code
        + (destinationPath == null ? "" : " at " + destinationPath)
        + (sourcePath == null ? "" : " (from " + sourcePath + ")")
        + (recordId == null ? "" : " in " + recordId)
        + ": "
        + message;
  }
}
