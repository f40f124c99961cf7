package dev.sluice.stripe.internal;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Stripe source's checkpoint: either a backfill in progress (the slices still to read, each with
 * its cursor) or the incremental phase (the cursor of objects created since the backfill). Plain
 * JSON without secrets.
 *
 * @param backfillTop the newest {@code created} second the backfill covers, or {@code null} once
 *     it is done
 * @param slices the ranges of the backfill not yet finished
 * @param seenAtTop the ids read so far in the second {@code backfillTop}
 * @param incremental the cursor of the incremental phase, or {@code null} during the backfill
 * @param events where reading the resource's events stands, or {@code null} when events are not
 *     read
 */
public record SyncState(
    Long backfillTop, List<Slice> slices, Set<String> seenAtTop, ListCursor incremental, EventCursor events) {
  /** Copies the slices and ids. */
  public SyncState {
    slices = List.copyOf(slices);
    seenAtTop = Set.copyOf(seenAtTop);
  }

  /**
   * Where reading events stands: the last event handed over (its id and {@code created}), or, when
   * none was yet, the second from which events count.
   */
  public record EventCursor(String lastId, long since) {}

  /** A backfill of the given slices up to {@code top}. */
  public static SyncState backfill(long top, List<Slice> slices, Set<String> seenAtTop) {
    return new SyncState(top, slices, seenAtTop, null, null);
  }

  /** The incremental phase at {@code cursor}. */
  public static SyncState incremental(ListCursor cursor) {
    return new SyncState(null, List.of(), Set.of(), cursor, null);
  }

  /** This state with another event cursor. */
  public SyncState withEvents(EventCursor cursor) {
    return new SyncState(backfillTop, slices, seenAtTop, incremental, cursor);
  }

  /** This state with another incremental cursor. */
  public SyncState withIncremental(ListCursor cursor) {
    return new SyncState(backfillTop, slices, seenAtTop, cursor, events);
  }

  /** Whether the backfill is still running. */
  public boolean inBackfill() {
    return incremental == null;
  }

  /** Reads a checkpoint; {@code null} means nothing was read yet. */
  public static SyncState parse(String checkpoint) {
    if (checkpoint == null) {
      return null;
    }
    try {
      DataRecord r = DataRecord.fromJson(checkpoint);
      EventCursor events = null;
      DataRecord e = r.getRecord("events");
      if (e != null) {
        events = new EventCursor(e.getString("last_id"), e.getLong("since"));
      }
      if ("incremental".equals(r.getString("phase"))) {
        return incremental(ListCursor.fromRecord(r.getRecord("cursor"))).withEvents(events);
      }
      List<Slice> slices = new ArrayList<>();
      for (Object o : r.getList("slices")) {
        DataRecord s = (DataRecord) o;
        slices.add(new Slice(s.getLong("gte"), s.getLong("lte"), s.getString("starting_after")));
      }
      Set<String> seen = new LinkedHashSet<>();
      for (Object o : r.getList("seen_at_top")) {
        seen.add((String) o);
      }
      return backfill(r.getLong("top"), slices, seen).withEvents(events);
    } catch (RuntimeException e) {
      throw new JsonFormatException("The saved checkpoint is not a Stripe source checkpoint ("
          + e.getMessage() + "); delete it to read the resource from scratch", e);
    }
  }

  /** The checkpoint text. */
  public String toJson() {
    DataRecord.Builder b;
    if (inBackfill()) {
      List<Object> list = new ArrayList<>();
      for (Slice s : slices) {
        list.add(DataRecord.builder().put("gte", s.gte()).put("lte", s.lte())
            .put("starting_after", s.startingAfter()).build());
      }
      b = DataRecord.builder().put("phase", "backfill").put("top", backfillTop)
          .put("slices", list).put("seen_at_top", new ArrayList<>(seenAtTop));
    } else {
      b = DataRecord.builder().put("phase", "incremental").put("cursor", incremental.toRecord());
    }
    if (events != null) {
      b.put("events", DataRecord.builder().put("last_id", events.lastId()).put("since", events.since()).build());
    }
    return b.build().toJson();
  }
}
