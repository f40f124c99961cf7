package dev.sluice.stripe;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.ChangeSource;
import dev.sluice.core.Flow;
import dev.sluice.core.Sink;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.stripe.internal.ListCursor;
import dev.sluice.stripe.internal.ListPage;
import dev.sluice.stripe.internal.StripeTransport;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.mapping.Mapping;
import java.time.Instant;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Stripe resource of one connection, read as a {@link ChangeSource}: the first run lists every
 * object, later runs list the objects created since.
 *
 * <pre>{@code
 * Flow flow = stripe.source("charges")
 *     .mapping(MappingSet.fromJson(json).compile("acme"))
 *     .into(Sinks.jsonLines(Path.of("lake")))
 *     .build();
 * }</pre>
 *
 * <p>Lists are read newest first, {@value #PAGE_SIZE} objects a page, with the parameters the
 * resource needs to return everything ({@code status=all} for subscriptions). The checkpoint
 * after each page resumes right after it; objects that share a {@code created} second across
 * runs are neither lost nor read twice. Immutable and thread-safe.
 */
public final class SourceConnection implements ChangeSource {
  /** Objects asked for per page: Stripe's maximum. */
  public static final int PAGE_SIZE = 100;

  private final StripeConnection connection;
  private final StripeResource resource;

  SourceConnection(StripeConnection connection, StripeResource resource) {
    this.connection = connection;
    this.resource = resource;
  }

  /** The resource this source reads. */
  public StripeResource resource() {
    return resource;
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

  @Override
  public void read(String checkpoint, PageConsumer consumer) {
    ListCursor cursor = ListCursor.parse(checkpoint);
    StripeTransport transport = connection.transport();
    while (true) {
      List<Map.Entry<String, String>> params = new ArrayList<>();
      params.add(new SimpleImmutableEntry<>("limit", String.valueOf(PAGE_SIZE)));
      resource.listParameters().forEach((k, v) -> params.add(new SimpleImmutableEntry<>(k, v)));
      if (cursor.since() != null && resource.createdFilter()) {
        params.add(new SimpleImmutableEntry<>("created[gte]", cursor.since().toString()));
      }
      if (cursor.startingAfter() != null) {
        params.add(new SimpleImmutableEntry<>("starting_after", cursor.startingAfter()));
      }
      StripeTransport.Result<ListPage> result = transport.get(resource.path(), params, ListPage::read);
      ListPage page = result.value();
      List<ChangeEnvelope> changes = new ArrayList<>(page.data().size());
      for (DataRecord object : page.data()) {
        if (cursor.alreadyRead(object)) {
          continue;
        }
        changes.add(toChange(object));
      }
      cursor = cursor.advance(page.data(), page.hasMore());
      consumer.accept(new Page(changes, cursor.toJson(), result.requests(), result.bytes()));
      if (!page.hasMore() || page.data().isEmpty()) {
        return;
      }
    }
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
