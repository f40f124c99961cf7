package dev.sluice.testkit.internal;

/**
 * Makes and reads the ids of one resource's objects. An id encodes the object's index, scrambled
 * so that neighbours do not look alike, and carries a tag of the seed, account and resource, so an
 * id from another emulator (or a made-up one) is recognised as unknown.
 *
 * <p>Shape: the resource's prefix, then 24 characters of {@code [0-9A-Za-z]}, like Stripe's own
 * {@code ch_1PgafuB7WZ01zgkWXYmPNZs8}.
 */
public final class Ids {
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int BITS = 40;
  private static final long MASK = (1L << BITS) - 1;
  /** The largest index an id can hold. */
  public static final long MAX_INDEX = MASK;

  private static final int INDEX_CHARS = 7;
  private static final int TAG_CHARS = 10;
  private static final int CHECK_CHARS = 7;

  private final String prefix;
  private final long a;
  private final long aInverse;
  private final long c;
  private final long cInverse;
  private final long k;
  private final String tag;
  private final long checkKey;

  /** A codec for one scope (seed, account, resource) and id prefix. */
  public Ids(long seed, String scope, String prefix) {
    this.prefix = prefix;
    Rng rng = Rng.of(seed, "ids/" + scope, 0);
    this.a = rng.nextLong() | 1L;
    this.c = rng.nextLong() | 1L;
    this.k = rng.nextLong() & MASK;
    this.aInverse = inverse(a);
    this.cInverse = inverse(c);
    this.tag = chars(rng, TAG_CHARS);
    this.checkKey = rng.nextLong();
  }

  private static String chars(Rng rng, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET.charAt(rng.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  private static long inverse(long odd) {
    long x = odd;
    for (int i = 0; i < 6; i++) {
      x *= 2 - odd * x;
    }
    return x;
  }

  /** The prefix every id starts with. */
  public String prefix() {
    return prefix;
  }

  /** The id of the object with this index. */
  public String id(long index) {
    if (index < 0 || index > MAX_INDEX) {
      throw new IllegalArgumentException("index out of range: " + index);
    }
    long y = ((((index * a) & MASK) ^ k) * c) & MASK;
    StringBuilder sb = new StringBuilder(prefix.length() + INDEX_CHARS + TAG_CHARS + CHECK_CHARS);
    sb.append(prefix);
    appendBase62(sb, y, INDEX_CHARS);
    sb.append(tag);
    sb.append(chars(new Rng(Rng.mix(checkKey ^ index)), CHECK_CHARS));
    return sb.toString();
  }

  /** The index this id encodes, or -1 if it is not an id this codec made. */
  public long index(String id) {
    if (id == null
        || id.length() != prefix.length() + INDEX_CHARS + TAG_CHARS + CHECK_CHARS
        || !id.startsWith(prefix)
        || !id.startsWith(tag, prefix.length() + INDEX_CHARS)) {
      return -1;
    }
    long y = 0;
    for (int i = 0; i < INDEX_CHARS; i++) {
      int d = ALPHABET.indexOf(id.charAt(prefix.length() + i));
      if (d < 0) {
        return -1;
      }
      y = y * ALPHABET.length() + d;
    }
    if (y > MASK) {
      return -1;
    }
    long index = ((((y * cInverse) & MASK) ^ k) * aInverse) & MASK;
    return id.equals(id(index)) ? index : -1;
  }

  private static void appendBase62(StringBuilder sb, long value, int width) {
    char[] out = new char[width];
    for (int i = width - 1; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (value % ALPHABET.length()));
      value /= ALPHABET.length();
    }
    sb.append(out);
  }
}
