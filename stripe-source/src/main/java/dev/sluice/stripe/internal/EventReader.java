package dev.sluice.stripe.internal;

import static dev.sluice.stripe.internal.ResourceSync.PAGE_SIZE;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.stripe.StripeInvalidRequestException;
import dev.sluice.stripe.StripeResourceReader;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.xdm.DataRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a resource's changes from {@code /v1/events} as Stripe's eventually consistent event list
 * allows: one poll lists the events created from an overlap before the cursor up to {@code now −
 * settle}, skips those already applied, and hands the rest on oldest first. An own update becomes
 * an upsert of the object re-fetched (or of the event's copy), an own deletion a delete, and an
 * event about another object that changes one of ours (a dispute, a refund: {@link
 * StripeResource#linkedEvents()}) a re-fetch of the object it names. A re-fetch answering {@code
 * deleted: true} or 404 is a delete. Each object is written at most once per poll, and not at all
 * when what was written before was read after the event.
 */
public final class EventReader {
  /** Stripe lists events of the last 30 days only. */
  public static final long RETENTION_SECONDS = 30L * 86_400;

  private final StripeResourceReader reader;
  private final StripeResource resource;
  private final boolean eventCopies;
  private final Clock clock;
  private final long settle;
  private final long overlap;
  private final int maxEventsHeld;
  private final Map<String, String> linkedFields = new HashMap<>();

  /** The most events a poll holds at once unless told otherwise. */
  public static final int MAX_EVENTS_HELD = 5_000;

  /**
   * A reader of {@code resource}'s events.
   *
   * @param reader what lists events and re-fetches objects
   * @param resource the resource whose events are read
   * @param eventCopies whether an own update writes the event's copy of the object (else the
   *     object re-fetched)
   * @param clock what tells the time of a poll and of each re-fetch
   * @param settleSeconds how far behind now a poll stops
   * @param overlapSeconds how far before its cursor a poll starts
   * @param maxEventsHeld the most events a poll holds at once (a longer stretch is cut in shorter
   *     ones); a single second holding more is still read whole
   */
  public EventReader(StripeResourceReader reader, StripeResource resource, boolean eventCopies, Clock clock,
      long settleSeconds, long overlapSeconds, int maxEventsHeld) {
    if (maxEventsHeld < PAGE_SIZE) {
      throw new IllegalArgumentException("maxEventsHeld must be at least " + PAGE_SIZE + ", was " + maxEventsHeld);
    }
    this.maxEventsHeld = maxEventsHeld;
    this.reader = reader;
    this.resource = resource;
    this.eventCopies = eventCopies;
    this.clock = clock;
    this.settle = settleSeconds;
    this.overlap = overlapSeconds;
    for (StripeResource.LinkedEvent linked : resource.linkedEvents()) {
      linkedFields.put(linked.eventType(), linked.idField());
    }
  }

  /**
   * A page of changes read from events, and the cursor after it.
   *
   * @param apiVersion the API version of the page's objects, or {@code null} when it has none
   */
  public record EventPage(
      List<ChangeEnvelope> changes, SyncState.EventCursor after, int requests, long bytes, String apiVersion) {}

  /** Receives event pages, oldest first. */
  public interface Sink {
    /** Takes one page of changes; the pages come in order, oldest first. */
    void accept(EventPage page);
  }

  /** Whether events a poll from {@code cursor} needs may already be gone (older than Stripe keeps them). */
  public static boolean expired(SyncState.EventCursor cursor, long nowSeconds) {
    return cursor.through() < nowSeconds - RETENTION_SECONDS;
  }

  /** What to do for one event. */
  private enum Kind { NOTHING, DELETE, COPY, REFETCH }

  /** The little of an event a poll keeps. */
  private record Listed(String id, long created, Kind kind, String target, DataRecord copy, String apiVersion) {}

  /**
   * Polls the events after {@code cursor} and hands them to {@code sink} as pages of changes,
   * oldest first; the last page's cursor records the poll's upper bound, also when it found
   * nothing.
   *
   * <p>Stripe lists events newest first, so a stretch of time is listed whole before its events
   * are applied oldest first. To hold at most {@link #maxEventsHeld} events, a poll whose events do
   * not fit is cut into shorter stretches, oldest first; the checkpoint after each stretch records
   * it as done.
   */
  public void read(SyncState.EventCursor cursor, Sink sink) {
    long now = clock.instant().getEpochSecond();
    long upper = now - settle;
    long from = Math.max(cursor.readFrom(overlap), now - RETENTION_SECONDS);
    if (from > upper) {
      sink.accept(new EventPage(List.of(), cursor.pruned(cursor.readFrom(overlap)), 0, 0, null));
      return;
    }
    SyncState.EventCursor at = cursor;
    long span = upper - from + 1;
    long lo = from;
    int requests = 0;
    long bytes = 0;
    while (lo <= upper) {
      long hi = Math.min(upper, lo + span - 1);
      Listing listing = list(lo, hi, hi > lo ? maxEventsHeld : Integer.MAX_VALUE);
      requests += listing.requests();
      bytes += listing.bytes();
      if (listing.events() == null) {
        span = Math.max(1, (hi - lo + 1) / 2); // too many to hold: a shorter stretch
        continue;
      }
      at = apply(at, listing.events(), hi, requests, bytes, sink);
      requests = 0;
      bytes = 0;
      if (listing.events().size() < maxEventsHeld / 4) {
        span = Math.min(span * 2, upper - from + 1);
      }
      lo = hi + 1;
    }
  }

  /** The events of a stretch, oldest first, or {@code null} when there were more than asked. */
  private record Listing(List<Listed> events, int requests, long bytes) {}

  private Listing list(long from, long upper, int max) {
    List<Listed> events = new ArrayList<>();
    int requests = 0;
    long bytes = 0;
    String after = null;
    while (true) {
      Map<String, String> params = typeParams();
      params.put("limit", Integer.toString(PAGE_SIZE));
      params.put("created[gte]", Long.toString(from));
      params.put("created[lte]", Long.toString(upper));
      if (after != null) {
        params.put("starting_after", after);
      }
      StripeResourceReader.ListPage page = reader.list("/v1/events", params);
      requests += page.requests();
      bytes += page.bytes();
      for (DataRecord event : page.data()) {
        events.add(listed(event));
      }
      if (!page.hasMore() || page.data().isEmpty()) {
        break;
      }
      if (events.size() >= max) {
        return new Listing(null, requests, bytes);
      }
      after = page.data().get(page.data().size() - 1).getString("id");
    }
    Collections.reverse(events);
    return new Listing(events, requests, bytes);
  }

  /**
   * Applies the events of the stretch up to {@code upper}, oldest first, a page at a time; returns
   * the cursor after them, which records the stretch as read through {@code upper}.
   */
  private SyncState.EventCursor apply(SyncState.EventCursor cursor, List<Listed> events, long upper, int requests,
      long bytes, Sink sink) {
    // A deletion is the object's last version: it is dated when the poll learnt of it, after any
    // version of the object read before.
    Instant polledAt = clock.instant();

    // Per object: whether the stretch deletes it, and its newest event copy.
    Set<String> deletedHere = new HashSet<>();
    Map<String, Integer> lastCopy = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      Listed e = events.get(i);
      if (e.kind() == Kind.DELETE) {
        deletedHere.add(e.target());
      } else if (e.kind() == Kind.COPY) {
        lastCopy.put(e.target(), i);
      }
    }

    Map<String, Long> applied = new LinkedHashMap<>(cursor.applied());
    Map<String, Long> reflected = new LinkedHashMap<>(cursor.reflected());
    long through = cursor.through();
    if (events.isEmpty()) {
      SyncState.EventCursor end = new SyncState.EventCursor(Math.max(through, upper), cursor.floor(), applied, reflected);
      end = end.pruned(end.readFrom(overlap));
      sink.accept(new EventPage(List.of(), end, requests, bytes, null));
      return end;
    }
    SyncState.EventCursor next = cursor;
    for (int from0 = 0; from0 < events.size(); from0 += PAGE_SIZE) {
      int to = Math.min(events.size(), from0 + PAGE_SIZE);
      List<ChangeEnvelope> changes = new ArrayList<>();
      String version = null;
      for (int i = from0; i < to; i++) {
        Listed e = events.get(i);
        if (applied.containsKey(e.id())) {
          continue;
        }
        applied.put(e.id(), e.created());
        if (e.kind() == Kind.NOTHING) {
          continue;
        }
        Long reflectedBefore = reflected.get(e.target());
        if (reflectedBefore != null && e.created() < reflectedBefore) {
          continue; // what was written was read after this change
        }
        if (e.kind() != Kind.DELETE && deletedHere.contains(e.target())) {
          continue; // the object's deletion comes later in this stretch
        }
        Instant at = Instant.ofEpochSecond(e.created());
        switch (e.kind()) {
          case DELETE -> {
            changes.add(ChangeEnvelope.delete(resource.name(), e.target(), resource.objectType(), at)
                .withVersionTime(polledAt));
            reflected.put(e.target(), e.created() + 1);
          }
          case COPY -> {
            if (lastCopy.get(e.target()) != i) {
              continue; // a newer copy of it follows in this stretch
            }
            changes.add(ChangeEnvelope.upsert(resource.name(), e.target(), at, e.copy()));
            reflected.put(e.target(), Math.max(e.created(), reflectedBefore == null ? 0 : reflectedBefore));
            version = e.apiVersion();
          }
          default -> {
            Refetched r = refetch(e.target());
            requests += r.requests();
            bytes += r.bytes();
            if (r.object() == null) {
              // Gone before Stripe answered: no event about it is newer (the settle window again
              // covers a clock behind Stripe's).
              reflected.put(e.target(), r.answeredAt().getEpochSecond() + 1 + settle);
              changes.add(ChangeEnvelope.delete(resource.name(), e.target(), resource.objectType(), at)
                  .withVersionTime(r.readAt()));
            } else {
              reflected.put(e.target(), reflectedBefore(r.readAt(), settle));
              changes.add(ChangeEnvelope.upsert(resource.name(), e.target(), at, r.object())
                  .withVersionTime(r.readAt()));
              version = r.apiVersion() != null ? r.apiVersion() : version;
            }
          }
        }
      }
      through = Math.max(through, to == events.size() ? upper : events.get(to - 1).created());
      next = new SyncState.EventCursor(through, cursor.floor(), applied, reflected);
      next = next.pruned(next.readFrom(overlap));
      applied = new LinkedHashMap<>(next.applied());
      reflected = new LinkedHashMap<>(next.reflected());
      sink.accept(new EventPage(changes, next, requests, bytes, version));
      requests = 0;
      bytes = 0;
    }
    return next;
  }

  /**
   * The second before which every change of an object read at {@code readAt} is in what was read:
   * an event of second {@code c} happened before {@code c + 1}, which is at most {@code readAt}
   * when {@code c} is below the value returned. The settle window, less its last second, also
   * covers a clock that runs ahead of Stripe's.
   */
  public static long reflectedBefore(Instant readAt, long settleSeconds) {
    return readAt.getEpochSecond() - Math.max(0, settleSeconds - 1);
  }

  private Listed listed(DataRecord event) {
    String id = event.getString("id");
    long created = event.getLong("created");
    String type = event.getString("type");
    DataRecord data = event.getRecord("data");
    DataRecord object = data == null ? null : data.getRecord("object");
    if (object == null) {
      return new Listed(id, created, Kind.NOTHING, null, null, null);
    }
    if (resource.objectType().equals(object.getString("object"))) {
      String target = object.getString("id");
      if (type.equals(resource.deleteEventType())) {
        return new Listed(id, created, Kind.DELETE, target, null, null);
      }
      if (eventCopies) {
        return new Listed(id, created, Kind.COPY, target, object, event.getString("api_version"));
      }
      return new Listed(id, created, Kind.REFETCH, target, null, null);
    }
    String field = linkedFields.get(type);
    Object ref = field == null ? null : object.get(field);
    String target = ref instanceof String s ? s : ref instanceof DataRecord r ? r.getString("id") : null;
    if (target == null) {
      return new Listed(id, created, Kind.NOTHING, null, null, null);
    }
    return new Listed(id, created, Kind.REFETCH, target, null, null);
  }

  /**
   * An object read again: {@code object} null when Stripe says it is deleted; asked at {@code
   * readAt}, answered by {@code answeredAt}.
   */
  private record Refetched(
      DataRecord object, Instant readAt, Instant answeredAt, int requests, long bytes, String apiVersion) {}

  private Refetched refetch(String id) {
    int requests = 0;
    long bytes = 0;
    StripeResourceReader.Fetched f;
    // Taken before asking: what the answer holds was true at this time or later.
    Instant readAt = clock.instant();
    try {
      f = reader.retrieve(resource.path() + "/" + id, Map.of());
    } catch (StripeInvalidRequestException e) {
      if (e.httpStatus() == 404 && "resource_missing".equals(e.stripeCode())) {
        return new Refetched(null, readAt, clock.instant(), 1, 0, null);
      }
      throw e;
    }
    Instant answeredAt = clock.instant();
    requests += f.requests();
    bytes += f.bytes();
    if (Boolean.TRUE.equals(f.object().get("deleted"))) {
      return new Refetched(null, readAt, answeredAt, requests, bytes, f.apiVersion());
    }
    SubLists.Completed completed = SubLists.complete(f.object(), reader);
    return new Refetched(completed.record(), readAt, answeredAt, requests + completed.requests(),
        bytes + completed.bytes(), f.apiVersion());
  }

  private Map<String, String> typeParams() {
    Map<String, String> params = new LinkedHashMap<>();
    List<String> types = resource.changeEventTypes();
    for (int i = 0; i < types.size(); i++) {
      params.put("types[" + i + "]", types.get(i));
    }
    return params;
  }
}
