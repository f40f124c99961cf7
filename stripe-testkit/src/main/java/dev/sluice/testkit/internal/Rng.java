package dev.sluice.testkit.internal;

import java.util.List;

/**
 * A small deterministic random source (SplitMix64). Every generated value is a pure function of
 * the seed it is made from, independent of the JDK version, so one seed gives the same data
 * everywhere.
 */
public final class Rng {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  /** A generator starting from this state. */
  public Rng(long seed) {
    this.state = seed;
  }

  /** A generator for one thing: the mix of a seed, a name and a number. */
  public static Rng of(long seed, String name, long n) {
    return new Rng(hash(seed, name, n));
  }

  /** Mixes 64 bits (the SplitMix64 finalizer). */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A well mixed hash of a seed, a name and a number. */
  public static long hash(long seed, String name, long n) {
    long h = mix(seed + GOLDEN);
    for (int i = 0; i < name.length(); i++) {
      h = mix(h ^ name.charAt(i)) + GOLDEN;
    }
    return mix(h ^ mix(n * GOLDEN + 0x632BE59BD9B4E019L));
  }

  /** The next 64 random bits. */
  public long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** A number in [0, bound). */
  public int nextInt(int bound) {
    return (int) Math.floorMod(nextLong(), (long) bound);
  }

  /** A number in [0, bound). */
  public long nextLong(long bound) {
    return Math.floorMod(nextLong(), bound);
  }

  /** A number in [from, to]. */
  public long between(long from, long to) {
    return from + nextLong(to - from + 1);
  }

  /** True with probability {@code p}. */
  public boolean chance(double p) {
    return (nextLong() >>> 11) * 0x1.0p-53 < p;
  }

  /** One item of a list, picked at random. */
  public <T> T pick(List<T> items) {
    return items.get(nextInt(items.size()));
  }

  /** One of the items, picked at random. */
  @SafeVarargs
  public final <T> T pick(T... items) {
    return items[nextInt(items.length)];
  }
}
