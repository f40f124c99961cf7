package dev.sluice.stripe;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.ChangeSource;
import dev.sluice.core.Flow;
import dev.sluice.core.Sink;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.stripe.internal.Backfill;
import dev.sluice.stripe.internal.EventReader;
import dev.sluice.stripe.internal.ListCursor;
import dev.sluice.stripe.internal.Slice;
import dev.sluice.stripe.internal.SubLists;
import dev.sluice.stripe.internal.SyncState;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.mapping.Mapping;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Stripe resource of one connection, read as a {@link ChangeSource}: the first run backfills
 * every object, reading {@code created} slices in parallel; later runs list the objects created
 * since, then the updates and deletions that {@code /v1/events} reports for the resource (an update
 * re-fetches the object at the connection's pinned API version unless {@link
 * #withEventObjects} says otherwise; a deletion becomes a delete envelope). When the last event
 * read is older than Stripe's 30-day event window, the source says so in the log and backfills
 * again rather than miss changes silently.
 *
 * <pre>{@code
 * Flow flow = stripe.source("charges")
 *     .mapping(MappingSet.fromJson(json).compile("acme"))
 *     .into(Sinks.jsonLines(Path.of("lake")))
 *     .build();
 * }</pre>
 *
 * <p>Lists are read newest first, {@value #PAGE_SIZE} objects a page, with the parameters the
 * resource needs to return everything ({@code status=all} for subscriptions); embedded lists that
 * Stripe cuts at 10 items ({@code invoice.lines}, {@code subscription.items}) are paged to their
 * end. The checkpoint after each page resumes right after it: a resumed backfill redoes no
 * finished slice, and objects that share a {@code created} second are neither lost nor read twice.
 * Resources without a {@code created} filter are listed whole on every run. Immutable and
 * thread-safe.
 */
public final class SourceConnection implements ChangeSource {
  /** Objects asked for per page: Stripe's maximum. */
  public static final int PAGE_SIZE = 100;

  private static final Logger LOG = LoggerFactory.getLogger(SourceConnection.class);

  /**
   * The oldest second a backfill looks at: 2011-01-01, before Stripe's first public objects. Slices
   * that turn out empty cost one request each.
   */
  static final long STRIPE_EPOCH = 1_293_840_000L;

  /** Workers of a backfill unless set otherwise. */
  public static final int DEFAULT_PARALLELISM = 10;

  private final StripeConnection connection;
  private final StripeResource resource;
  private final StripeResourceReader reader;
  private final int parallelism;
  private final boolean events;
  private final EventObjects eventObjects;
  private final Clock clock;

  SourceConnection(StripeConnection connection, StripeResource resource) {
    this(connection, resource, StripeReaders.streaming(connection), DEFAULT_PARALLELISM,
        !resource.eventTypes().isEmpty(), EventObjects.REFETCH, Clock.systemUTC());
  }

  private SourceConnection(
      StripeConnection connection, StripeResource resource, StripeResourceReader reader, int parallelism,
      boolean events, EventObjects eventObjects, Clock clock) {
    this.connection = connection;
    this.resource = resource;
    this.reader = reader;
    this.parallelism = parallelism;
    this.events = events;
    this.eventObjects = eventObjects;
    this.clock = clock;
  }

  /** The resource this source reads. */
  public StripeResource resource() {
    return resource;
  }

  /** The reader this source lists with. */
  public StripeResourceReader reader() {
    return reader;
  }

  /** How many slices a backfill reads at once. */
  public int parallelism() {
    return parallelism;
  }

  /** Returns a copy of this source that lists with another reader, such as {@link StripeReaders#stripeJava}. */
  public SourceConnection withReader(StripeResourceReader reader) {
    return new SourceConnection(connection, resource, Objects.requireNonNull(reader, "reader == null"),
        parallelism, events, eventObjects, clock);
  }

  /**
   * Returns a copy of this source whose backfill reads up to {@code parallelism} {@code created}
   * ranges at once. The connection's throttle still bounds the request rate; with Stripe's 25
   * requests/s and about 300 ms a page, 8 to 10 workers keep it busy. 1 reads serially.
   */
  public SourceConnection withParallelism(int parallelism) {
    if (parallelism < 1 || parallelism > 64) {
      throw new IllegalArgumentException("parallelism must be between 1 and 64, was " + parallelism);
    }
    return new SourceConnection(connection, resource, reader, parallelism, events, eventObjects, clock);
  }

  /**
   * Returns a copy of this source that does (or does not) read updates and deletions from {@code
   * /v1/events} in incremental runs. On by default for resources that have events; without them,
   * incremental runs see only newly created objects.
   *
   * @throws IllegalArgumentException when turning events on for a resource that has none
   */
  public SourceConnection withEvents(boolean readEvents) {
    if (readEvents && resource.eventTypes().isEmpty()) {
      throw new IllegalArgumentException(resource.name() + " has no events to read changes from");
    }
    return new SourceConnection(connection, resource, reader, parallelism, readEvents, eventObjects, clock);
  }

  /** Returns a copy of this source that writes updates as {@code objects} says. Default {@link EventObjects#REFETCH}. */
  public SourceConnection withEventObjects(EventObjects objects) {
    return new SourceConnection(connection, resource, reader, parallelism, events,
        Objects.requireNonNull(objects, "objects == null"), clock);
  }

  /** Returns a copy of this source that tells time by {@code clock} (for Stripe's 30-day event window). */
  public SourceConnection withClock(Clock clock) {
    return new SourceConnection(connection, resource, reader, parallelism, events, eventObjects,
        Objects.requireNonNull(clock, "clock == null"));
  }

  /** Whether incremental runs read updates and deletions from events. */
  public boolean readsEvents() {
    return events;
  }

  @Override
  public String dataset() {
    return resource.name();
  }

  /** Starts a flow from this source with a mapping. */
  public Flow.Builder mapping(Mapping mapping) {
    return Flow.builder().source(this).mapping(mapping);
  }

  /** Starts a flow from this source into a sink, writing each Stripe object as it is. */
  public Flow.Builder into(Sink sink) {
    return Flow.builder().source(this).into(sink);
  }

  /**
   * Reads what is new since {@code checkpoint}: on the first run a backfill of every object,
   * read in parallel {@code created} slices; afterwards the objects created since, newest first.
   * Embedded lists cut at 10 items are paged to their end.
   */
  @Override
  public void read(String checkpoint, PageConsumer consumer) {
    SyncState state = SyncState.parse(checkpoint);
    long now = clock.instant().getEpochSecond();
    EventReader eventReader = new EventReader(reader, resource, eventObjects);
    if (state != null && events && state.events() != null && EventReader.expired(state.events(), now)) {
      LOG.warn("{}: the last change read from events is older than Stripe's 30-day event window;"
          + " reading every object again so no change is missed (deletions in the gap need a full"
          + " refresh to show)", resource.name());
      state = null;
    }
    int pendingRequests = 0;
    long pendingBytes = 0;
    if (state == null) {
      SyncState.EventCursor eventCursor = null;
      if (events) {
        EventReader.Start start = eventReader.start(now);
        eventCursor = start.cursor();
        pendingRequests += start.requests();
        pendingBytes += start.bytes();
      }
      state = SyncState.incremental(ListCursor.START).withEvents(eventCursor);
      if (resource.createdFilter()) {
        Map<String, String> probe = baseParams();
        probe.put("limit", "1");
        StripeResourceReader.ListPage newest = reader.list(resource.path(), probe);
        pendingRequests += newest.requests();
        pendingBytes += newest.bytes();
        if (!newest.data().isEmpty() && newest.data().get(0).getLong("created") != null) {
          long top = newest.data().get(0).getLong("created");
          state = SyncState.backfill(top, Slice.split(Math.min(STRIPE_EPOCH, top), top, parallelism), Set.of())
              .withEvents(eventCursor);
        }
      }
    }
    if (state.inBackfill()) {
      int[] carried = {pendingRequests};
      long[] carriedBytes = {pendingBytes};
      Backfill backfill = new Backfill(reader, resource.path(), baseParams(), parallelism, true);
      state = backfill.run(state, page -> {
        consumer.accept(new Page(toChanges(page.data(), null), page.stateAfter().toJson(),
            page.requests() + carried[0], page.bytes() + carriedBytes[0]));
        carried[0] = 0;
        carriedBytes[0] = 0;
      });
      consumer.accept(new Page(List.of(), state.toJson(), carried[0], carriedBytes[0]));
      return;
    }
    state = readNewObjects(state, consumer, pendingRequests, pendingBytes);
    if (events && state.events() != null) {
      SyncState before = state;
      eventReader.read(state.events(), page -> consumer.accept(new Page(page.changes(),
          before.withEvents(page.after()).toJson(), page.requests(), page.bytes())));
    }
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
      StripeResourceReader.ListPage page = reader.list(resource.path(), params);
      requests += page.requests();
      bytes += page.bytes();
      SubLists.CompletedPage completed = SubLists.completeAll(page.data(), reader);
      requests += completed.requests();
      bytes += completed.bytes();
      List<ChangeEnvelope> changes = toChanges(completed.records(), cursor);
      cursor = cursor.advance(page.data(), page.hasMore());
      state = state.withIncremental(cursor);
      consumer.accept(new Page(changes, state.toJson(), requests, bytes));
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

  private List<ChangeEnvelope> toChanges(List<DataRecord> objects, ListCursor skipReadBy) {
    List<ChangeEnvelope> changes = new ArrayList<>(objects.size());
    for (DataRecord object : objects) {
      if (skipReadBy == null || !skipReadBy.alreadyRead(object)) {
        changes.add(toChange(object));
      }
    }
    return changes;
  }

  private ChangeEnvelope toChange(DataRecord object) {
    String id = object.getString("id");
    if (id == null) {
      throw new StripeException(
          "A " + resource.objectType() + " in the list of " + resource.path() + " has no id: " + object,
          200, null, null, null, null, null);
    }
    Long created = object.getLong("created");
    Instant changedAt = created == null ? Instant.now() : Instant.ofEpochSecond(created);
    return ChangeEnvelope.upsert(resource.name(), id, changedAt, object);
  }

  @Override
  public String toString() {
    return "SourceConnection{" + resource.name() + " via " + connection + "}";
  }
}
