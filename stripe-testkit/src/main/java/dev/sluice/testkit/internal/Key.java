package dev.sluice.testkit.internal;

/**
 * Where an object sits in its list: Stripe lists newest first, so by {@code created} descending,
 * then by ordinal descending (the order objects came into being) for objects of the same second.
 * Generated objects have ordinals {@code 0..count-1}; created ones continue from {@code count}.
 */
public record Key(long created, long ordinal) implements Comparable<Key> {
  /** The lowest key of a second. */
  public static Key lowest(long created) {
    return new Key(created, Long.MIN_VALUE);
  }

  @Override
  public int compareTo(Key o) {
    int c = Long.compare(created, o.created);
    return c != 0 ? c : Long.compare(ordinal, o.ordinal);
  }
}
