package dev.sluice.stripe.internal;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.ChangeSource.Page;
import dev.sluice.core.ChangeSource.PageConsumer;
import dev.sluice.stripe.StripeException;
import dev.sluice.stripe.StripePermissionException;
import dev.sluice.stripe.StripeResourceReader;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.xdm.DataRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync state machine of one Stripe resource, behind {@code SourceConnection}: a first run
 * backfills in parallel {@code created} slices; later runs list the objects created since, then
 * poll the resource's events (see {@link EventReader}). Each page goes to the consumer with the
 * checkpoint that resumes after it.
 *
 * <p>Version times: an object listed or re-fetched carries the time its request was sent (by the
 * settings' clock); an event's own copy carries the event's {@code created}; a deletion the time
 * it was learnt of.
 *
 * <p>Nothing here refers back to the public {@code SourceConnection}, which only builds the
 * {@link Settings} and delegates to this class.
 */
public final class ResourceSync {
  /** Objects asked for per page: Stripe's maximum. */
  public static final int PAGE_SIZE = 100;

  /**
   * The oldest second a backfill looks at: 2011-01-01, before Stripe's first public objects. Slices
   * that turn out empty cost one request each.
   */
  public static final long STRIPE_EPOCH = 1_293_840_000L;

  private static final Logger LOG = LoggerFactory.getLogger(ResourceSync.class);

  /**
   * What a sync is made of.
   *
   * @param resource the resource read
   * @param reader what lists and retrieves
   * @param parallelism how many backfill slices are read at once
   * @param events whether incremental runs poll events
   * @param eventCopies whether an own update writes the event's copy instead of re-fetching
   * @param clock what tells the time
   * @param settleSeconds how far behind now an events poll stops
   * @param overlapSeconds how far before its cursor an events poll starts
   */
  public record Settings(StripeResource resource, StripeResourceReader reader, int parallelism, boolean events,
      boolean eventCopies, Clock clock, long settleSeconds, long overlapSeconds) {}

  private final Settings settings;
  private final StripeResource resource;
  private final StripeResourceReader reader;

  /** A sync with these settings. */
  public ResourceSync(Settings settings) {
    this.settings = settings;
    this.resource = settings.resource();
    this.reader = new PermissionNaming(settings.reader(), resource);
  }

  /**
   * Whether a run from {@code checkpoint} must re-read everything: its last successful events
   * poll is older than Stripe keeps events, so changes (deletions above all) may be gone.
   */
  public boolean needsFullRefresh(String checkpoint) {
    if (!settings.events()) {
      return false;
    }
    SyncState state = SyncState.parse(checkpoint);
    return state != null && state.events() != null
        && EventReader.expired(state.events(), settings.clock().instant().getEpochSecond());
  }

  /** Reads what is new since {@code checkpoint} and hands it over page by page. */
  public void read(String checkpoint, PageConsumer consumer) {
    SyncState state = SyncState.parse(checkpoint);
    Instant start = settings.clock().instant();
    if (state != null && settings.events() && state.events() != null
        && EventReader.expired(state.events(), start.getEpochSecond())) {
      LOG.warn("{}: the last events poll is older than Stripe's 30-day event window; reading every"
          + " object again so no change is missed (run it through a Flow to have the objects"
          + " deleted in the gap removed too)", resource.name());
      state = null;
    }
    int pendingRequests = 0;
    long pendingBytes = 0;
    String pendingVersion = null;
    if (state == null) {
      SyncState.EventCursor eventCursor =
          settings.events() ? SyncState.EventCursor.startingAt(start.getEpochSecond()) : null;
      state = SyncState.incremental(ListCursor.START).withEvents(eventCursor);
      if (resource.createdFilter()) {
        Map<String, String> probe = baseParams();
        probe.put("limit", "1");
        StripeResourceReader.ListPage newest = reader.list(resource.path(), probe);
        pendingRequests += newest.requests();
        pendingBytes += newest.bytes();
        pendingVersion = newest.apiVersion();
        if (!newest.data().isEmpty() && newest.data().get(0).getLong("created") != null) {
          long top = newest.data().get(0).getLong("created");
          state = SyncState.backfill(top, Slice.split(Math.min(STRIPE_EPOCH, top), top, settings.parallelism()),
              Set.of()).withEvents(eventCursor);
        }
      }
    }
    if (state.inBackfill()) {
      backfill(state, consumer, pendingRequests, pendingBytes, pendingVersion);
      return;
    }
    state = readNewObjects(state, consumer, pendingRequests, pendingBytes);
    if (settings.events() && state.events() != null) {
      SyncState before = state;
      new EventReader(reader, resource, settings.eventCopies(), settings.clock(), settings.settleSeconds(),
          settings.overlapSeconds(), EventReader.MAX_EVENTS_HELD).read(state.events(), page -> consumer.accept(new Page(page.changes(),
              before.withEvents(page.after()).toJson(), page.requests(), page.bytes(), 0, page.apiVersion())));
    }
  }

  private void backfill(SyncState state, PageConsumer consumer, int requests, long bytes, String version) {
    int[] carried = {requests};
    long[] carriedBytes = {bytes};
    String[] lastVersion = {version};
    Backfill backfill = new Backfill(reader, resource.path(), baseParams(), settings.parallelism(), true,
        settings.clock());
    SyncState done = backfill.run(state, page -> {
      if (page.apiVersion() != null) {
        lastVersion[0] = page.apiVersion();
      }
      consumer.accept(new Page(toChanges(page.data(), null, page.readAt(), null), page.stateAfter().toJson(),
          page.requests() + carried[0], page.bytes() + carriedBytes[0], 0, lastVersion[0]));
      carried[0] = 0;
      carriedBytes[0] = 0;
    });
    consumer.accept(new Page(List.of(), done.toJson(), carried[0], carriedBytes[0], 0, lastVersion[0]));
  }

  /** Lists the objects created since the cursor; returns the state after the last page. */
  private SyncState readNewObjects(SyncState state, PageConsumer consumer, int requests, long bytes) {
    ListCursor cursor = state.incremental();
    while (true) {
      Map<String, String> params = baseParams();
      params.put("limit", String.valueOf(PAGE_SIZE));
      if (cursor.since() != null && resource.createdFilter()) {
        params.put("created[gte]", cursor.since().toString());
      }
      if (cursor.startingAfter() != null) {
        params.put("starting_after", cursor.startingAfter());
      }
      // Taken before asking: what the answer holds was true at this time or later.
      Instant readAt = settings.clock().instant();
      StripeResourceReader.ListPage page = reader.list(resource.path(), params);
      requests += page.requests();
      bytes += page.bytes();
      SubLists.CompletedPage completed = SubLists.completeAll(page.data(), reader);
      requests += completed.requests();
      bytes += completed.bytes();
      Map<String, Long> reflected = state.events() == null ? null : new LinkedHashMap<>(state.events().reflected());
      List<ChangeEnvelope> changes = toChanges(completed.records(), cursor, readAt, reflected);
      cursor = cursor.advance(page.data(), page.hasMore());
      state = state.withIncremental(cursor);
      if (reflected != null) {
        SyncState.EventCursor e = state.events();
        SyncState.EventCursor withReads = new SyncState.EventCursor(e.through(), e.floor(), e.applied(), reflected);
        state = state.withEvents(withReads.pruned(withReads.readFrom(settings.overlapSeconds())));
      }
      consumer.accept(new Page(changes, state.toJson(), requests, bytes, 0, page.apiVersion()));
      requests = 0;
      bytes = 0;
      if (!page.hasMore() || page.data().isEmpty()) {
        return state;
      }
    }
  }

  private Map<String, String> baseParams() {
    return new LinkedHashMap<>(resource.listParameters());
  }

  /**
   * The objects of a page as upserts read at {@code readAt}, minus those {@code skipReadBy} says
   * were read before; each one's read is noted in {@code reflected} (when not null).
   */
  private List<ChangeEnvelope> toChanges(List<DataRecord> objects, ListCursor skipReadBy, Instant readAt,
      Map<String, Long> reflected) {
    List<ChangeEnvelope> changes = new ArrayList<>(objects.size());
    for (DataRecord object : objects) {
      if (skipReadBy == null || !skipReadBy.alreadyRead(object)) {
        ChangeEnvelope change = toChange(object, readAt);
        changes.add(change);
        if (reflected != null) {
          reflected.remove(change.id());
          reflected.put(change.id(), EventReader.reflectedBefore(readAt, settings.settleSeconds()));
        }
      }
    }
    return changes;
  }

  private ChangeEnvelope toChange(DataRecord object, Instant readAt) {
    String id = object.getString("id");
    if (id == null) {
      throw new StripeException(
          "A " + resource.objectType() + " in the list of " + resource.path() + " has no id: " + object,
          200, null, null, null, null, null);
    }
    Long created = object.getLong("created");
    Instant changedAt = created == null ? readAt : Instant.ofEpochSecond(created);
    return ChangeEnvelope.upsert(resource.name(), id, changedAt, object).withVersionTime(readAt);
  }

  /**
   * A reader that turns a 403 into a failure naming what the key may not read: the resource, or
   * the events its changes come from.
   */
  private static final class PermissionNaming implements StripeResourceReader {
    private final StripeResourceReader delegate;
    private final StripeResource resource;

    PermissionNaming(StripeResourceReader delegate, StripeResource resource) {
      this.delegate = delegate;
      this.resource = resource;
    }

    @Override
    public ListPage list(String path, Map<String, String> params) {
      try {
        return delegate.list(path, params);
      } catch (StripePermissionException e) {
        throw named(path, e);
      }
    }

    @Override
    public Fetched retrieve(String path, Map<String, String> params) {
      try {
        return delegate.retrieve(path, params);
      } catch (StripePermissionException e) {
        throw named(path, e);
      }
    }

    private StripePermissionException named(String path, StripePermissionException e) {
      String what = path.startsWith("/v1/events")
          ? "events (which " + resource.name() + " reads its changes from)" : resource.name();
      return new StripePermissionException("the key lacks read permission on " + what + ": give the"
          + " restricted key read access to it in Stripe's Dashboard, use a key that has it, or"
          + (path.startsWith("/v1/events") ? " turn events off for this source" : " stop syncing "
          + resource.name()) + ". " + e.getMessage(), e.httpStatus(), e.requestId(), e.type(),
          e.stripeCode(), e.param(), e);
    }
  }
}
