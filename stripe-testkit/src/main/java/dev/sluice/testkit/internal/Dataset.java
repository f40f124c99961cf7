package dev.sluice.testkit.internal;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generated (never written) data of one account: for each resource its id codec, its
 * timeline and its number of objects. Objects themselves are made on demand by {@link Generator}.
 */
public final class Dataset {
  /** Generated events lie in the 29 days before the end of the history (Stripe keeps 30 days). */
  public static final long EVENT_SPAN_SECONDS = 29L * 86_400;

  private final long seed;
  private final String account;
  private final long historyEnd;
  private final Map<String, Shape> shapes = new LinkedHashMap<>();
  private final Map<String, Ids> extraIds = new java.util.concurrent.ConcurrentHashMap<>();
  private final Generator generator;

  /** What is known about one resource's generated objects. */
  public record Shape(StripeResource resource, Ids ids, Timeline timeline, long count) {}

  /** The shapes of every catalog resource for one account. */
  public Dataset(long seed, String account, long objectsPerResource, long historyEnd) {
    this.seed = seed;
    this.account = account;
    this.historyEnd = historyEnd;
    for (StripeResource r : StripeCatalog.all()) {
      String scope = account + "/" + r.name();
      long span = r.name().equals("events") ? EVENT_SPAN_SECONDS : Timeline.SPAN_SECONDS;
      shapes.put(r.name(), new Shape(r, new Ids(seed, scope, r.idPrefix()),
          new Timeline(seed, scope, objectsPerResource, historyEnd, span), objectsPerResource));
    }
    this.generator = new Generator(this);
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The account the data belongs to. */
  public String account() {
    return account;
  }

  /** The end of the generated history, Unix seconds. */
  public long historyEnd() {
    return historyEnd;
  }

  /**
   * One resource's shape.
   *
   * @throws IllegalArgumentException if the catalog has no such resource
   */
  public Shape shape(String resource) {
    Shape s = shapes.get(resource);
    if (s == null) {
      throw new IllegalArgumentException("no such resource: " + resource);
    }
    return s;
  }

  /** Every resource's shape, by name. */
  public Map<String, Shape> shapes() {
    return shapes;
  }

  /** An id codec for things that are not catalog resources (subscription items, invoice lines). */
  public Ids ids(String kind, String prefix) {
    return extraIds.computeIfAbsent(kind, k -> new Ids(seed, account + "/" + k, prefix));
  }

  /** The generator that makes this dataset's objects. */
  public Generator generator() {
    return generator;
  }

  /** The id of a generated object picked by {@code rng} in a resource, or null if it has none. */
  public String randomId(String resource, Rng rng) {
    Shape s = shapes.get(resource);
    if (s == null || s.count() == 0) {
      return null;
    }
    return s.ids().id(rng.nextLong(s.count()));
  }
}
