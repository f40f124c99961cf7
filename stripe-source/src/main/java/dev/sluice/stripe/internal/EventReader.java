package dev.sluice.stripe.internal;

import static dev.sluice.stripe.SourceConnection.PAGE_SIZE;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.stripe.EventObjects;
import dev.sluice.stripe.StripeInvalidRequestException;
import dev.sluice.stripe.StripeResourceReader;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.xdm.DataRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a resource's changes from {@code /v1/events}, oldest first: updates become upserts (of the
 * object re-fetched, or the event's copy), deletions become delete envelopes.
 */
public final class EventReader {
  /** Stripe lists events of the last 30 days only. */
  public static final long RETENTION_SECONDS = 30L * 86_400;

  private final StripeResourceReader reader;
  private final StripeResource resource;
  private final EventObjects objects;

  /**
   * A reader of {@code resource}'s events.
   *
   * @param reader what lists events and re-fetches objects
   * @param resource the resource whose events are read
   * @param objects which copy of an updated object is handed on
   */
  public EventReader(StripeResourceReader reader, StripeResource resource, EventObjects objects) {
    this.reader = reader;
    this.resource = resource;
    this.objects = objects;
  }

  /** A page of changes read from events, and the cursor after it. */
  public record EventPage(List<ChangeEnvelope> changes, SyncState.EventCursor after, int requests, long bytes) {}

  /** Receives event pages, oldest first. */
  public interface Sink {
    /** Takes one page of changes; the pages come in order, oldest first. */
    void accept(EventPage page);
  }

  /** What reading the newest event cost, and the cursor from which later runs read events. */
  public record Start(SyncState.EventCursor cursor, int requests, long bytes) {}

  /** The cursor to start from when a backfill starts now: after the newest event there is. */
  public Start start(long nowSeconds) {
    Map<String, String> params = typeParams();
    params.put("limit", "1");
    StripeResourceReader.ListPage page = reader.list("/v1/events", params);
    if (page.data().isEmpty()) {
      return new Start(new SyncState.EventCursor(null, nowSeconds), page.requests(), page.bytes());
    }
    DataRecord newest = page.data().get(0);
    return new Start(new SyncState.EventCursor(newest.getString("id"), newest.getLong("created")),
        page.requests(), page.bytes());
  }

  /** Whether events after {@code cursor} may already be gone (older than Stripe keeps them). */
  public static boolean expired(SyncState.EventCursor cursor, long nowSeconds) {
    return cursor.since() < nowSeconds - RETENTION_SECONDS;
  }

  /** Hands every event after {@code cursor} to {@code sink}, oldest first, a page at a time. */
  public void read(SyncState.EventCursor cursor, Sink sink) {
    if (cursor.lastId() == null) {
      readFromSecond(cursor, sink);
      return;
    }
    String lastId = cursor.lastId();
    long since = cursor.since();
    while (true) {
      Map<String, String> params = typeParams();
      params.put("limit", Integer.toString(PAGE_SIZE));
      params.put("ending_before", lastId);
      StripeResourceReader.ListPage page = reader.list("/v1/events", params);
      if (page.data().isEmpty()) {
        sink.accept(new EventPage(List.of(), cursor, page.requests(), page.bytes()));
        return;
      }
      List<DataRecord> oldestFirst = new ArrayList<>(page.data());
      Collections.reverse(oldestFirst);
      DataRecord newest = oldestFirst.get(oldestFirst.size() - 1);
      lastId = newest.getString("id");
      since = Math.max(since, newest.getLong("created"));
      emit(oldestFirst, new SyncState.EventCursor(lastId, since), page.requests(), page.bytes(), sink);
      if (!page.hasMore()) {
        return;
      }
    }
  }

  /** With no event read yet: list the events since a second (newest first), then hand them oldest first. */
  private void readFromSecond(SyncState.EventCursor cursor, Sink sink) {
    List<DataRecord> all = new ArrayList<>();
    int requests = 0;
    long bytes = 0;
    String after = null;
    while (true) {
      Map<String, String> params = typeParams();
      params.put("limit", Integer.toString(PAGE_SIZE));
      params.put("created[gte]", Long.toString(cursor.since()));
      if (after != null) {
        params.put("starting_after", after);
      }
      StripeResourceReader.ListPage page = reader.list("/v1/events", params);
      requests += page.requests();
      bytes += page.bytes();
      all.addAll(page.data());
      if (!page.hasMore() || page.data().isEmpty()) {
        break;
      }
      after = page.data().get(page.data().size() - 1).getString("id");
    }
    Collections.reverse(all);
    if (all.isEmpty()) {
      sink.accept(new EventPage(List.of(), cursor, requests, bytes));
      return;
    }
    for (int from = 0; from < all.size(); from += PAGE_SIZE) {
      List<DataRecord> chunk = all.subList(from, Math.min(all.size(), from + PAGE_SIZE));
      DataRecord newest = chunk.get(chunk.size() - 1);
      emit(chunk, new SyncState.EventCursor(newest.getString("id"), newest.getLong("created")),
          requests, bytes, sink);
      requests = 0;
      bytes = 0;
    }
  }

  private void emit(List<DataRecord> events, SyncState.EventCursor after, int requests, long bytes, Sink sink) {
    List<ChangeEnvelope> changes = new ArrayList<>();
    Map<String, DataRecord> fetched = new HashMap<>();
    for (DataRecord event : events) {
      DataRecord data = event.getRecord("data");
      DataRecord object = data == null ? null : data.getRecord("object");
      if (object == null || !resource.objectType().equals(object.getString("object"))) {
        continue;
      }
      String id = object.getString("id");
      Instant at = Instant.ofEpochSecond(event.getLong("created"));
      if (event.getString("type").equals(resource.deleteEventType())) {
        changes.add(ChangeEnvelope.delete(resource.name(), id, resource.objectType(), at));
        fetched.remove(id);
        continue;
      }
      DataRecord version = object;
      if (objects == EventObjects.REFETCH) {
        version = fetched.get(id);
        if (version == null) {
          try {
            StripeResourceReader.Fetched f = reader.retrieve(resource.path() + "/" + id, Map.of());
            requests += f.requests();
            bytes += f.bytes();
            SubLists.Completed completed = SubLists.complete(f.object(), reader);
            requests += completed.requests();
            bytes += completed.bytes();
            version = completed.record();
            fetched.put(id, version);
          } catch (StripeInvalidRequestException e) {
            if (e.httpStatus() == 404) {
              continue; // deleted since: its delete event follows
            }
            throw e;
          }
        }
      }
      changes.add(ChangeEnvelope.upsert(resource.name(), id, at, version));
    }
    sink.accept(new EventPage(changes, after, requests, bytes));
  }

  private Map<String, String> typeParams() {
    Map<String, String> params = new LinkedHashMap<>();
    List<String> types = resource.eventTypes();
    for (int i = 0; i < types.size(); i++) {
      params.put("types[" + i + "]", types.get(i));
    }
    return params;
  }
}
