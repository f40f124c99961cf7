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
 * <p><b>Version time.</b> Of two versions of one id, the one with the greater {@link
 * #versionTime()} is the newer: the event's {@code created} when the record is the event's copy of
 * the object, the time the object was read (listed or re-fetched) otherwise. Sinks, the webhook
 * path and deduplication compare versions by it; {@code changedAt} stays what it always was.
 *
 * @param resource the resource the object belongs to, such as {@code "charges"}
 * @param id the Stripe id of the object, the identity sinks upsert and delete by
 * @param operation whether the object was created/changed or deleted
 * @param changedAt when the change happened at Stripe (the object's {@code created} for a backfill,
 *     the event's {@code created} for a change read from events)
 * @param record the record to write
 * @param versionTime when this version of the object was true at Stripe (see above); equal to
 *     {@code changedAt} when the source gives none
 */
public record ChangeEnvelope(
    String resource, String id, Operation operation, Instant changedAt, DataRecord record,
    Instant versionTime) {

  /** Checks that every field is given. */
  public ChangeEnvelope {
    Objects.requireNonNull(resource, "resource == null");
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(operation, "operation == null");
    Objects.requireNonNull(changedAt, "changedAt == null");
    Objects.requireNonNull(record, "record == null");
    Objects.requireNonNull(versionTime, "versionTime == null");
  }

  /** A change whose version time is its {@code changedAt}. */
  public ChangeEnvelope(
      String resource, String id, Operation operation, Instant changedAt, DataRecord record) {
    this(resource, id, operation, changedAt, record, changedAt);
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
    return new ChangeEnvelope(resource, id, operation, changedAt, newRecord, versionTime);
  }

  /** Returns a copy with another version time. */
  public ChangeEnvelope withVersionTime(Instant time) {
    return new ChangeEnvelope(resource, id, operation, changedAt, record, time);
  }

  /** Whether this version is newer than {@code other} (a greater version time). */
  public boolean isNewerThan(ChangeEnvelope other) {
    return versionTime.isAfter(other.versionTime);
  }

  /** What a change does to the object it is about. */
  public enum Operation {
    /** The object was created or changed: insert it, or replace the version the sink holds. */
    UPSERT,
    /** The object was deleted at Stripe: remove it from the sink's current state. */
    DELETE
  }
}
