package dev.sluice.stripe;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.ChangeSource;
import dev.sluice.core.Flow;
import dev.sluice.core.Sink;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.stripe.internal.Backfill;
import dev.sluice.stripe.internal.ListCursor;
import dev.sluice.stripe.internal.Slice;
import dev.sluice.stripe.internal.SubLists;
import dev.sluice.stripe.internal.SyncState;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.mapping.Mapping;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One Stripe resource of one connection, read as a {@link ChangeSource}: the first run backfills
 * every object, reading {@code created} slices in parallel; later runs list the objects created
 * since.
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

  SourceConnection(StripeConnection connection, StripeResource resource) {
    this(connection, resource, StripeReaders.streaming(connection), DEFAULT_PARALLELISM);
  }

  private SourceConnection(
      StripeConnection connection, StripeResource resource, StripeResourceReader reader, int parallelism) {
    this.connection = connection;
    this.resource = resource;
    this.reader = reader;
    this.parallelism = parallelism;
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
    return new SourceConnection(connection, resource, Objects.requireNonNull(reader, "reader == null"), parallelism);
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
    return new SourceConnection(connection, resource, reader, parallelism);
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
    int pendingRequests = 0;
    long pendingBytes = 0;
    if (state == null) {
      state = SyncState.incremental(ListCursor.START);
      if (resource.createdFilter()) {
        Map<String, String> probe = baseParams();
        probe.put("limit", "1");
        StripeResourceReader.ListPage newest = reader.list(resource.path(), probe);
        pendingRequests = newest.requests();
        pendingBytes = newest.bytes();
        if (!newest.data().isEmpty() && newest.data().get(0).getLong("created") != null) {
          long top = newest.data().get(0).getLong("created");
          state = SyncState.backfill(top, Slice.split(Math.min(STRIPE_EPOCH, top), top, parallelism), Set.of());
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
    readIncrementally(state.incremental(), consumer, pendingRequests, pendingBytes);
  }

  private void readIncrementally(ListCursor cursor, PageConsumer consumer, int requests, long bytes) {
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
      List<DataRecord> data = new ArrayList<>(page.data().size());
      for (DataRecord object : page.data()) {
        SubLists.Completed completed = SubLists.complete(object, reader);
        requests += completed.requests();
        bytes += completed.bytes();
        data.add(completed.record());
      }
      List<ChangeEnvelope> changes = toChanges(data, cursor);
      cursor = cursor.advance(page.data(), page.hasMore());
      consumer.accept(new Page(changes, SyncState.incremental(cursor).toJson(), requests, bytes));
      requests = 0;
      bytes = 0;
      if (!page.hasMore() || page.data().isEmpty()) {
        return;
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
