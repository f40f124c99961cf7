package dev.sluice.stripe;

import dev.sluice.core.ChangeSource;
import dev.sluice.core.Flow;
import dev.sluice.core.Sink;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.stripe.internal.ResourceSync;
import dev.sluice.xdm.mapping.Mapping;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * One Stripe resource of one connection, read as a {@link ChangeSource}: the first run backfills
 * every object, reading {@code created} slices in parallel; later runs list the objects created
 * since, then poll {@code /v1/events} for the resource's updates and deletions and for events
 * about other objects that change it (a dispute or a refund changes its charge; see {@link
 * StripeResource#linkedEvents()}).
 *
 * <pre>{@code
 * Flow flow = stripe.source("charges")
 *     .mapping(MappingSet.fromJson(json).compile("acme"))
 *     .into(Sinks.jsonLines(Path.of("lake")))
 *     .build();
 * }</pre>
 *
 * <p><b>Changes from events.</b> Stripe's event list is eventually consistent: an event can show up
 * after events created later than it. So a poll reads events only up to {@code now − settle}
 * ({@link #withSettle}, default {@value #DEFAULT_SETTLE_SECONDS} s), starts an overlap before where
 * the last one ended ({@link #withOverlap}, default {@value #DEFAULT_OVERLAP_SECONDS} s) and skips
 * the events it already applied. An update re-fetches the object at the connection's pinned API
 * version (unless {@link #withEventObjects} says otherwise), a deletion, or a re-fetch answering
 * {@code deleted: true} or 404, becomes a delete, and each object is written once per run even
 * when it was both created and changed since the last one. Each change carries a {@linkplain
 * dev.sluice.core.ChangeEnvelope#versionTime() version time}: the time the object was read (listed
 * or re-fetched, by this source's clock, taken as the request is sent), the event's {@code created}
 * for an event's own copy, and for a deletion the time the run learnt of it.
 *
 * <p><b>Quiet resources and the 30-day window.</b> The checkpoint records the time through which
 * the event list was read, also when a poll found nothing, so a resource without changes is never
 * read again. Stripe keeps events for 30 days: when the last successful poll is older than that,
 * {@link #needsFullRefresh} tells the flow to re-read the resource once as a full refresh, which
 * also removes from the sink the objects deleted in the gap (into a sink that cannot list its ids
 * the run ends {@code PARTIAL_SUCCESS} saying the deletions were not applied).
 *
 * <p>Lists are read newest first, {@value #PAGE_SIZE} objects a page, with the parameters the
 * resource needs to return everything ({@code status=all} for subscriptions); embedded lists that
 * Stripe cuts at 10 items ({@code invoice.lines}, {@code subscription.items}) are paged to their
 * end. The checkpoint after each page resumes right after it: a resumed backfill redoes no
 * finished slice, and objects that share a {@code created} second are neither lost nor read twice.
 * Resources without a {@code created} filter are listed whole on every run. Each page reports the
 * API version Stripe rendered it in. A key that may not read the resource (HTTP 403) fails the
 * run with a {@link StripePermissionException} saying the key lacks read permission on it. Immutable
 * and thread-safe.
 */
public final class SourceConnection implements ChangeSource {
  /** Objects asked for per page: Stripe's maximum. */
  public static final int PAGE_SIZE = ResourceSync.PAGE_SIZE;

  /** Workers of a backfill unless set otherwise. */
  public static final int DEFAULT_PARALLELISM = 10;

  /** How far behind now an events poll stops unless set otherwise, in seconds. */
  public static final long DEFAULT_SETTLE_SECONDS = 60;

  /** How far before its cursor an events poll starts unless set otherwise, in seconds. */
  public static final long DEFAULT_OVERLAP_SECONDS = 300;

  private static final Duration MAX_WINDOW = Duration.ofDays(1);

  private final StripeConnection connection;
  private final StripeResource resource;
  private final StripeResourceReader reader;
  private final int parallelism;
  private final boolean events;
  private final EventObjects eventObjects;
  private final Clock clock;
  private final Duration settle;
  private final Duration overlap;

  SourceConnection(StripeConnection connection, StripeResource resource) {
    this(connection, resource, StripeReaders.streaming(connection), DEFAULT_PARALLELISM,
        !resource.eventTypes().isEmpty(), EventObjects.REFETCH, Clock.systemUTC(),
        Duration.ofSeconds(DEFAULT_SETTLE_SECONDS), Duration.ofSeconds(DEFAULT_OVERLAP_SECONDS));
  }

  private SourceConnection(
      StripeConnection connection, StripeResource resource, StripeResourceReader reader, int parallelism,
      boolean events, EventObjects eventObjects, Clock clock, Duration settle, Duration overlap) {
    this.connection = connection;
    this.resource = resource;
    this.reader = reader;
    this.parallelism = parallelism;
    this.events = events;
    this.eventObjects = eventObjects;
    this.clock = clock;
    this.settle = settle;
    this.overlap = overlap;
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
        parallelism, events, eventObjects, clock, settle, overlap);
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
    return new SourceConnection(connection, resource, reader, parallelism, events, eventObjects, clock, settle, overlap);
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
    return new SourceConnection(connection, resource, reader, parallelism, readEvents, eventObjects, clock,
        settle, overlap);
  }

  /** Returns a copy of this source that writes updates as {@code objects} says. Default {@link EventObjects#REFETCH}. */
  public SourceConnection withEventObjects(EventObjects objects) {
    return new SourceConnection(connection, resource, reader, parallelism, events,
        Objects.requireNonNull(objects, "objects == null"), clock, settle, overlap);
  }

  /**
   * Returns a copy of this source that tells time by {@code clock}: the upper bound of each events
   * poll, Stripe's 30-day event window, and the version time of each object read. Share one with
   * a Stripe emulator to test runs days apart.
   */
  public SourceConnection withClock(Clock clock) {
    return new SourceConnection(connection, resource, reader, parallelism, events, eventObjects,
        Objects.requireNonNull(clock, "clock == null"), settle, overlap);
  }

  /**
   * Returns a copy of this source whose events polls stop {@code settle} before now, so the events
   * Stripe lists late are there when a poll reads their time. Default {@value
   * #DEFAULT_SETTLE_SECONDS} seconds; {@link Duration#ZERO} reads up to now (for tests that write
   * and then sync at once). Whole seconds count.
   *
   * @throws IllegalArgumentException if negative or longer than a day
   */
  public SourceConnection withSettle(Duration settle) {
    return new SourceConnection(connection, resource, reader, parallelism, events, eventObjects, clock,
        window(settle, "settle"), overlap);
  }

  /**
   * Returns a copy of this source whose events polls read again the {@code overlap} before where
   * the previous poll ended, skipping the events already applied, so an event Stripe listed later
   * than that poll is still read. Default {@value #DEFAULT_OVERLAP_SECONDS} seconds; it should
   * exceed how late Stripe lists events. Whole seconds count.
   *
   * @throws IllegalArgumentException if negative or longer than a day
   */
  public SourceConnection withOverlap(Duration overlap) {
    return new SourceConnection(connection, resource, reader, parallelism, events, eventObjects, clock,
        settle, window(overlap, "overlap"));
  }

  /** How far behind now an events poll stops. */
  public Duration settle() {
    return settle;
  }

  /** How far before where the previous poll ended an events poll starts. */
  public Duration overlap() {
    return overlap;
  }

  private static Duration window(Duration d, String name) {
    Objects.requireNonNull(d, name + " == null");
    if (d.isNegative() || d.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException(name + " must be between 0 and 1 day, was " + d);
    }
    return d;
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
   * Whether the run from {@code checkpoint} must be a full refresh: true when the last successful
   * events poll it records is older than Stripe's 30-day event window, so changes since (deletions
   * above all) can no longer be read from events.
   */
  @Override
  public boolean needsFullRefresh(String checkpoint) {
    return sync().needsFullRefresh(checkpoint);
  }

  /**
   * Reads what is new since {@code checkpoint}: on the first run a backfill of every object,
   * read in parallel {@code created} slices; afterwards the objects created since, newest first,
   * then the changes polled from events. Embedded lists cut at 10 items are paged to their end.
   *
   * @throws StripePermissionException when the key may not read the resource or its events; the
   *     message says which
   */
  @Override
  public void read(String checkpoint, PageConsumer consumer) {
    sync().read(checkpoint, consumer);
  }

  private ResourceSync sync() {
    return new ResourceSync(new ResourceSync.Settings(resource, reader, parallelism, events,
        eventObjects == EventObjects.EVENT_COPY, clock, settle.toSeconds(), overlap.toSeconds()));
  }

  @Override
  public String toString() {
    return "SourceConnection{" + resource.name() + " via " + connection + "}";
  }
}
