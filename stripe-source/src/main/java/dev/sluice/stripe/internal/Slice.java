package dev.sluice.stripe.internal;

/**
 * A closed range of {@code created} seconds of one backfill, and where paging through it stands.
 *
 * @param gte the first second of the range
 * @param lte the last second of the range
 * @param startingAfter the id of the last object read in the range, or {@code null} before the
 *     first page
 */
public record Slice(long gte, long lte, String startingAfter) {
  /**
   * Checks the range.
   *
   * @throws IllegalArgumentException when {@code gte} is after {@code lte}
   */
  public Slice {
    if (gte > lte) {
      throw new IllegalArgumentException("empty slice [" + gte + ", " + lte + "]");
    }
  }

  /** Splits {@code [from, to]} into up to {@code n} slices of about equal width, newest first. */
  public static java.util.List<Slice> split(long from, long to, int n) {
    java.util.List<Slice> slices = new java.util.ArrayList<>();
    long width = Math.max(1, (to - from + 1 + n - 1) / n);
    for (long hi = to; hi >= from; hi -= width) {
      slices.add(new Slice(Math.max(from, hi - width + 1), hi, null));
    }
    return slices;
  }
}
