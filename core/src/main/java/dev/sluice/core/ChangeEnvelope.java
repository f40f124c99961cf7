package dev.sluice.core;

import dev.sluice.xdm.DataRecord;
import java.time.Instant;
import java.util.Objects;

/**
 * One change to one Stripe object, as it travels from a source through a mapping into a sink.
 *
 * <p>For an {@link Operation#UPSERT} the record is the object's new version (the Stripe object, or
 * what a mapping made of it). For a {@link Operation#DELETE} the record is what Stripe answers for a
 * deleted object: {@code {"id": …, "object": …, "deleted": true}}; see {@link #delete}.
 *
 * @param resource the resource the object belongs to, such as {@code "charges"}
 * @param id the Stripe id of the object, the identity sinks upsert and delete by
 * @param operation whether the object was created/changed or deleted
 * @param changedAt when the change happened at Stripe (the object's {@code created} for a backfill,
 *     the event's {@code created} for a change read from events)
 * @param record the record to write
 */
public record ChangeEnvelope(
    String resource, String id, Operation operation, Instant changedAt, DataRecord record) {

  /** Checks that every field is given. */
  public ChangeEnvelope {
    Objects.requireNonNull(resource, "resource == null");
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(operation, "operation == null");
    Objects.requireNonNull(changedAt, "changedAt == null");
    Objects.requireNonNull(record, "record == null");
  }

  /** An upsert of a new or changed object. */
  public static ChangeEnvelope upsert(String resource, String id, Instant changedAt, DataRecord record) {
    return new ChangeEnvelope(resource, id, Operation.UPSERT, changedAt, record);
  }

  /**
   * A delete, with the record Stripe writes for a deleted object: {@code {"id": id, "object":
   * objectType, "deleted": true}}.
   */
  public static ChangeEnvelope delete(String resource, String id, String objectType, Instant changedAt) {
    DataRecord deleted =
        DataRecord.builder().put("id", id).put("object", objectType).put("deleted", true).build();
    return new ChangeEnvelope(resource, id, Operation.DELETE, changedAt, deleted);
  }

  /** Returns a copy carrying another record (what a mapping made of this one). */
  public ChangeEnvelope withRecord(DataRecord newRecord) {
    return new ChangeEnvelope(resource, id, operation, changedAt, newRecord);
  }

  /** What a change does to the object it is about. */
  public enum Operation {
    /** The object was created or changed: insert it, or replace the version the sink holds. */
    UPSERT,
    /** The object was deleted at Stripe: remove it from the sink's current state. */
    DELETE
  }
}
