package dev.sluice.core;

import java.util.Objects;

/**
 * An error a run met: a stable code, a one-line message a person can act on, and, for a record
 * the mapping rejected, the record's id.
 *
 * @param code a stable code such as {@code "STRIPE_AUTHENTICATION"}, {@code "MAPPING_REJECTED"}
 * @param message what went wrong, in one line, without secrets
 * @param recordId the id of the record concerned, or {@code null} for a run-level error
 */
public record RunError(String code, String message, String recordId) {
  /** Checks that code and message are given. */
  public RunError {
    Objects.requireNonNull(code, "code == null");
    Objects.requireNonNull(message, "message == null");
  }
}
