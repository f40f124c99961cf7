package dev.sluice.stripe.internal;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
   * Where reading events stands. Plain JSON in the checkpoint: {@code {"through": …, "floor": …,
   * "applied": {event id: created}, "reflected": {object id: second}}}. Checkpoints of earlier
   * versions ({@code {"last_id": …, "since": …}}) still read: see {@link #parse}.
   *
   * @param through the second through which the event list was read to its end (the upper bound
   *     of the last successful poll, also when it found nothing): Stripe's 30-day retention is
   *     judged against it
   * @param floor events created before this second need no reading (the backfill that made this
   *     cursor read the objects after them); 0 for none
   * @param applied the events already applied that a later poll may list again (its overlap),
   *     by id, with their {@code created}; bounded
   * @param reflected per object id, the second before which every change of the object is
   *     already in what was written (it was read, or deleted, after them); an event about it
   *     created earlier needs nothing done; bounded
   */
  public record EventCursor(long through, long floor, Map<String, Long> applied, Map<String, Long> reflected) {
    /** The most ids {@link #applied} and {@link #reflected} each keep (the newest). */
    public static final int MAX_IDS = 2_000;

    /** Copies the maps, keeping their order. */
    public EventCursor {
      applied = Collections.unmodifiableMap(new LinkedHashMap<>(applied));
      reflected = Collections.unmodifiableMap(new LinkedHashMap<>(reflected));
    }

    /** A cursor of a backfill that started reading objects at {@code startSecond}. */
    public static EventCursor startingAt(long startSecond) {
      return new EventCursor(startSecond, startSecond, Map.of(), Map.of());
    }

    /** The second from which a poll lists events again: {@code overlap} before {@link #through}, never below {@link #floor}. */
    public long readFrom(long overlapSeconds) {
      return Math.max(floor, through - overlapSeconds);
    }

    /**
     * This cursor with its id maps pruned to what a poll from {@code readFrom} can still use, and
     * to at most {@link #MAX_IDS} entries each (the newest kept: dropping one can only make a later
     * run write an object again, never miss a change).
     */
    public EventCursor pruned(long readFrom) {
      return new EventCursor(through, floor, newest(applied, readFrom - 1), newest(reflected, readFrom));
    }

    private static Map<String, Long> newest(Map<String, Long> ids, long above) {
      List<Map.Entry<String, Long>> kept = new ArrayList<>();
      for (Map.Entry<String, Long> e : ids.entrySet()) {
        if (e.getValue() > above) {
          kept.add(e);
        }
      }
      if (kept.size() > MAX_IDS) {
        kept.sort(Map.Entry.comparingByValue());
        kept = kept.subList(kept.size() - MAX_IDS, kept.size());
      }
      Map<String, Long> out = new LinkedHashMap<>();
      kept.forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    }

    DataRecord toRecord() {
      DataRecord.Builder applied = DataRecord.builder();
      this.applied.forEach(applied::put);
      DataRecord.Builder reflected = DataRecord.builder();
      this.reflected.forEach(reflected::put);
      return DataRecord.builder().put("through", through).put("floor", floor)
          .put("applied", applied.build()).put("reflected", reflected.build()).build();
    }

    static EventCursor fromRecord(DataRecord e) {
      if (!e.has("through")) {
        // Before the settle window: the last event read and its second.
        String lastId = e.getString("last_id");
        long since = e.getLong("since");
        return new EventCursor(since, 0, lastId == null ? Map.of() : Map.of(lastId, since), Map.of());
      }
      return new EventCursor(e.getLong("through"), e.getLong("floor"), seconds(e.getRecord("applied")),
          seconds(e.getRecord("reflected")));
    }

    private static Map<String, Long> seconds(DataRecord r) {
      Map<String, Long> m = new LinkedHashMap<>();
      if (r != null) {
        for (String k : r.keys()) {
          m.put(k, r.getLong(k));
        }
      }
      return m;
    }
  }

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
        events = EventCursor.fromRecord(e);
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
      b.put("events", events.toRecord());
    }
    return b.build().toJson();
  }
}
