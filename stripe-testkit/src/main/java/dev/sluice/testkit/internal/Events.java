package dev.sluice.testkit.internal;

import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What is special about {@code /v1/events}: only the last 30 days (by the emulator's clock) can be
 * listed or retrieved, {@code type} takes a {@code *} wildcard ({@code customer.*}), and {@code
 * types[]} takes up to 20 exact names.
 */
public final class Events {
  /** Stripe keeps events for 30 days. */
  public static final long RETENTION_SECONDS = 30L * 86_400;

  private Events() {}

  /** Whether an event can still be seen at {@code now}. */
  public static boolean retained(DataRecord event, long now) {
    Long created = event.getLong("created");
    return created != null && created >= now - RETENTION_SECONDS;
  }

  /**
   * Whether an event is visible at {@code now} when events may be up to {@code maxLateness}
   * seconds late: each event's own delay, between 0 and {@code maxLateness}, is a pure function
   * of the seed and its id, so events show up out of order but always the same way.
   */
  public static boolean visible(DataRecord event, long now, long seed, long maxLateness) {
    if (maxLateness <= 0) {
      return true;
    }
    Long created = event.getLong("created");
    String id = event.getString("id");
    if (created == null || id == null) {
      return true;
    }
    long delay = Math.floorMod(Rng.hash(seed, "event-lateness/" + id, 0), maxLateness + 1);
    return created + delay <= now;
  }

  /** Adds the retention window and the type filters to a list query. */
  public static void restrict(Lists.Query q, Map<String, Object> params, long now) {
    Key oldest = Key.lowest(now - RETENTION_SECONDS);
    if (q.atOrAbove == null || q.atOrAbove.compareTo(oldest) < 0) {
      q.atOrAbove = oldest;
    }
    Object type = params.get("type");
    Object types = params.get("types");
    if (type != null && types != null) {
      throw ApiError.invalid(null, "You may only specify one of these parameters: type, types.",
          "types");
    }
    if (type != null) {
      Predicate<String> match = typeMatcher(Lists.string(params, "type"));
      q.and(e -> match.test(e.getString("type")));
    }
    if (types != null) {
      List<String> names = new ArrayList<>();
      if (types instanceof List) {
        for (Object o : (List<?>) types) {
          names.add(String.valueOf(o));
        }
      } else {
        names.add(String.valueOf(types));
      }
      if (names.size() > 20) {
        throw ApiError.invalid(null,
            "Invalid array: types can have at most 20 items (got " + names.size() + ")", "types");
      }
      q.and(e -> names.contains(e.getString("type")));
    }
  }

  /** {@code customer.*} matches {@code customer.created} and {@code customer.subscription.updated}. */
  static Predicate<String> typeMatcher(String pattern) {
    if (!pattern.contains("*")) {
      return pattern::equals;
    }
    String regex = java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q");
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
    return t -> t != null && p.matcher(t).matches();
  }
}
