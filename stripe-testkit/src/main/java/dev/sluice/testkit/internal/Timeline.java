package dev.sluice.testkit.internal;

/**
 * The {@code created} times of one resource's generated objects: spread over about three years up
 * to the end of the generated history, never decreasing with the index, and with many objects
 * sharing the same second (groups of two to eight, more when objects are dense), which is what
 * makes paging by {@code created} hard to get right.
 *
 * <p>{@code created(i)} is computed in constant time from the seed, so a resource of millions of
 * objects costs no memory, and searching a time in it is a binary search.
 */
public final class Timeline {
  /** How far back the generated history reaches: three years. */
  public static final long SPAN_SECONDS = 3L * 365 * 24 * 3600;

  private static final int BLOCK = 8;

  private final long seed;
  private final String scope;
  private final long count;
  private final long start;
  private final long span;
  private final long blocks;

  /** A timeline over the three years before {@code historyEnd}. */
  public Timeline(long seed, String scope, long count, long historyEnd) {
    this(seed, scope, count, historyEnd, SPAN_SECONDS);
  }

  /** A timeline over the {@code span} seconds before {@code historyEnd}. */
  public Timeline(long seed, String scope, long count, long historyEnd, long span) {
    this.seed = seed;
    this.scope = scope;
    this.count = count;
    this.span = span;
    this.start = historyEnd - span;
    this.blocks = Math.max(1, (count + BLOCK - 1) / BLOCK);
  }

  /** The number of objects. */
  public long count() {
    return count;
  }

  private long blockStart(long block) {
    return start + scaled(block);
  }

  private long scaled(long block) {
    if (block < Long.MAX_VALUE / span) {
      return block * span / blocks;
    }
    return java.math.BigInteger.valueOf(block)
        .multiply(java.math.BigInteger.valueOf(span))
        .divide(java.math.BigInteger.valueOf(blocks))
        .longValueExact();
  }

  /** The {@code created} time of the object with this index. */
  public long created(long index) {
    long block = index / BLOCK;
    long from = blockStart(block);
    long width = blockStart(block + 1) - from;
    if (width <= 0) {
      return from;
    }
    Rng rng = Rng.of(seed, "timeline/" + scope, block);
    long[] offsets = new long[BLOCK];
    if (rng.chance(0.125)) {
      // the whole block in one second
      long at = rng.nextLong(width);
      java.util.Arrays.fill(offsets, at);
    } else {
      long[] distinct = {rng.nextLong(width), rng.nextLong(width), rng.nextLong(width),
          rng.nextLong(width), rng.nextLong(width)};
      for (int i = 0; i < BLOCK; i++) {
        offsets[i] = distinct[rng.nextInt(distinct.length)];
      }
      java.util.Arrays.sort(offsets);
    }
    return from + offsets[(int) (index % BLOCK)];
  }

  /** The first index whose {@code created} is at least {@code time} ({@link #count} if none). */
  public long firstAtOrAfter(long time) {
    long lo = 0;
    long hi = count;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (created(mid) < time) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
