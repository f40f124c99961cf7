package dev.sluice.testkit.internal;

import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One resource's objects in one account: the generated ones (made on demand, never stored) and an
 * overlay of what writes changed, created or deleted. Thread-safe: reads take no lock, writes to
 * one object are serialised by the caller through {@link #lock()}.
 */
public final class ResourceStore {
  private static final Key TOP = new Key(Long.MAX_VALUE, Long.MAX_VALUE);
  private static final Key BOTTOM = new Key(Long.MIN_VALUE, Long.MIN_VALUE);

  private final Dataset dataset;
  private final Dataset.Shape shape;
  private final Map<Long, DataRecord> changed = new ConcurrentHashMap<>();
  private final Set<Long> deleted = ConcurrentHashMap.newKeySet();
  private final Map<Long, Key> createdKeys = new ConcurrentHashMap<>();
  private final NavigableSet<Key> created = new ConcurrentSkipListSet<>();
  private final AtomicLong nextOrdinal;
  private final Object lock = new Object();
  /** Every write's time and resulting state (null: deleted), oldest first, for lagged search. */
  private final Map<Long, List<Version>> history = new ConcurrentHashMap<>();
  private volatile java.util.function.LongSupplier clock = () -> 0L;

  /** One state of an object from a write at {@code at} seconds; {@code state} null if deleted. */
  private record Version(long at, DataRecord state) {}

  /** A store for one resource of a dataset. */
  public ResourceStore(Dataset dataset, String resource) {
    this.dataset = dataset;
    this.shape = dataset.shape(resource);
    this.nextOrdinal = new AtomicLong(shape.count());
  }

  /** The resource's generated shape. */
  public Dataset.Shape shape() {
    return shape;
  }

  /** The resource's name. */
  public String name() {
    return shape.resource().name();
  }

  /** The lock that serialises writes to this resource. */
  public Object lock() {
    return lock;
  }

  /** The clock (Unix seconds) that dates writes for lagged search. */
  public void clock(java.util.function.LongSupplier clock) {
    this.clock = clock;
  }

  private void remember(long ordinal, DataRecord state) {
    history.computeIfAbsent(ordinal, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(new Version(clock.getAsLong(), state));
  }

  /**
   * The object as search saw it at {@code asOf} seconds: the state of the latest write at or
   * before then, else the generated original (null for an object created after it).
   */
  private DataRecord indexed(long ordinal, long asOf) {
    List<Version> versions = history.get(ordinal);
    if (versions == null) {
      return current(ordinal);
    }
    DataRecord state = ordinal < shape.count() ? dataset.generator().generate(name(), ordinal) : null;
    for (Version v : versions) {
      if (v.at() > asOf) {
        break;
      }
      state = v.state();
    }
    return state;
  }

  /**
   * Walks the objects, newest first, strictly below {@code below} (null: from the top), as search
   * saw them at {@code asOf} seconds ({@code Long.MAX_VALUE}: the latest state), returning up to
   * {@code max} that pass the filter.
   */
  public List<Found> searchWalk(Key below, long asOf, int max, Predicate<DataRecord> filter) {
    return walk(below, null, false, max, filter, asOf);
  }

  /** The list position of an id, or null if the id was never one of this resource's. */
  public Key keyOf(String id) {
    long ordinal = shape.ids().index(id);
    if (ordinal < 0) {
      return null;
    }
    if (ordinal < shape.count()) {
      return new Key(shape.timeline().created(ordinal), ordinal);
    }
    return createdKeys.get(ordinal);
  }

  /** The current object with this id, or null if it does not exist (or was deleted). */
  public DataRecord get(String id) {
    Key key = keyOf(id);
    return key == null ? null : current(key.ordinal());
  }

  /** Whether the id names an object that existed and was deleted. */
  public boolean isDeleted(String id) {
    Key key = keyOf(id);
    return key != null && deleted.contains(key.ordinal());
  }

  private DataRecord current(long ordinal) {
    if (deleted.contains(ordinal)) {
      return null;
    }
    DataRecord c = changed.get(ordinal);
    if (c != null) {
      return c;
    }
    return ordinal < shape.count() ? dataset.generator().generate(name(), ordinal) : null;
  }

  /** Reserves the id and list position of a new object created at {@code createdSeconds}. */
  public Key allocate(long createdSeconds) {
    long ordinal = nextOrdinal.getAndIncrement();
    return new Key(createdSeconds, ordinal);
  }

  /** The id of the object at a key. */
  public String idOf(Key key) {
    return shape.ids().id(key.ordinal());
  }

  /** Stores a new object at a key from {@link #allocate}. */
  public void insert(Key key, DataRecord object) {
    changed.put(key.ordinal(), object);
    createdKeys.put(key.ordinal(), key);
    created.add(key);
    remember(key.ordinal(), object);
  }

  /** Replaces an existing object. */
  public void replace(String id, DataRecord object) {
    Key key = keyOf(id);
    if (key == null) {
      throw new IllegalArgumentException("unknown id " + id);
    }
    changed.put(key.ordinal(), object);
    remember(key.ordinal(), object);
  }

  /** Deletes an object; later reads and lists no longer see it. */
  public void delete(String id) {
    Key key = keyOf(id);
    if (key != null) {
      deleted.add(key.ordinal());
      changed.remove(key.ordinal());
      remember(key.ordinal(), null);
    }
  }

  /**
   * One object found by a list walk, with its position; {@code object} is null when the walk had no
   * filter (use {@link #json} or {@link #object}).
   */
  public record Found(Key key, DataRecord object) {}

  /** The object at a key that a walk found. */
  public DataRecord object(Found found) {
    return found.object() != null ? found.object() : current(found.key().ordinal());
  }

  /**
   * The JSON text of the object a walk found. Generated objects that no write changed are kept as
   * text in a small cache, so pages read again and again (benchmarks) cost little.
   */
  public String json(Found found) {
    long ordinal = found.key().ordinal();
    DataRecord c = found.object() != null ? found.object() : changed.get(ordinal);
    if (c != null || ordinal >= shape.count()) {
      DataRecord object = c != null ? c : current(ordinal);
      return object == null ? "null" : object.toJson();
    }
    String cached = jsonCache.get(ordinal);
    if (cached != null) {
      return cached;
    }
    String json = dataset.generator().generate(name(), ordinal).toJson();
    if (cachedChars.addAndGet(json.length()) > CACHE_CHARS) {
      jsonCache.clear();
      cachedChars.set(json.length());
    }
    jsonCache.put(ordinal, json);
    return json;
  }

  /** The text cache holds at most about this many characters per resource. */
  private static final long CACHE_CHARS = 8L << 20;

  private final Map<Long, String> jsonCache = new ConcurrentHashMap<>();
  private final AtomicLong cachedChars = new AtomicLong();

  /**
   * Walks the objects between two keys and returns up to {@code max} of them that pass the filter.
   *
   * @param below only keys strictly below this one (null: no bound)
   * @param atOrAbove only keys at or above this one (null: no bound)
   * @param ascending oldest first when true (for {@code ending_before}), newest first otherwise
   * @param filter the objects to keep, or null for all (then they are not made)
   */
  public List<Found> walk(Key below, Key atOrAbove, boolean ascending, int max,
      Predicate<DataRecord> filter) {
    return walk(below, atOrAbove, ascending, max, filter, Long.MAX_VALUE);
  }

  private List<Found> walk(Key below, Key atOrAbove, boolean ascending, int max,
      Predicate<DataRecord> filter, long asOf) {
    Key hi = below == null ? TOP : below;
    Key lo = atOrAbove == null ? BOTTOM : atOrAbove;
    List<Found> out = new ArrayList<>();
    if (lo.compareTo(hi) >= 0) {
      return out;
    }
    long loIdx = firstGeneratedAtOrAbove(lo);
    long hiIdx = firstGeneratedAtOrAbove(hi);
    NavigableSet<Key> range = created.subSet(lo, true, hi, false);
    Iterator<Key> extra = ascending ? range.iterator() : range.descendingIterator();
    long next = ascending ? loIdx : hiIdx - 1;
    Key pendingExtra = extra.hasNext() ? extra.next() : null;
    while (out.size() < max) {
      Key generated = null;
      if (ascending ? next < hiIdx : next >= loIdx) {
        generated = new Key(shape.timeline().created(next), next);
      }
      Key pick;
      if (generated == null && pendingExtra == null) {
        break;
      } else if (generated == null) {
        pick = pendingExtra;
      } else if (pendingExtra == null) {
        pick = generated;
      } else {
        int cmp = generated.compareTo(pendingExtra);
        pick = ascending ? (cmp < 0 ? generated : pendingExtra) : (cmp > 0 ? generated : pendingExtra);
      }
      if (pick == generated) {
        next += ascending ? 1 : -1;
      } else {
        pendingExtra = extra.hasNext() ? extra.next() : null;
      }
      if (filter == null && asOf == Long.MAX_VALUE) {
        if (!deleted.contains(pick.ordinal())) {
          out.add(new Found(pick, null));
        }
        continue;
      }
      DataRecord object = asOf == Long.MAX_VALUE ? current(pick.ordinal()) : indexed(pick.ordinal(), asOf);
      if (filter == null) {
        if (object != null) {
          out.add(new Found(pick, object));
        }
        continue;
      }
      if (object != null && filter.test(object)) {
        out.add(new Found(pick, object));
      }
    }
    return out;
  }

  /** The first generated index whose key is at or above {@code key}. */
  private long firstGeneratedAtOrAbove(Key key) {
    long lo = 0;
    long hi = shape.count();
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (new Key(shape.timeline().created(mid), mid).compareTo(key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
