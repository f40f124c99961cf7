package dev.sluice.testkit.internal;

import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lists that belong to one parent object ({@code invoice.lines}, {@code subscription.items}): held
 * whole in memory (they are short), paged with {@code limit}, {@code starting_after} and {@code
 * ending_before} in their own order.
 */
public final class SubLists {
  private SubLists() {}

  /** The items of an embedded list object ({@code {"object":"list","data":[…]}}). */
  public static List<DataRecord> items(DataRecord list) {
    List<DataRecord> out = new ArrayList<>();
    if (list == null || list.getList("data") == null) {
      return out;
    }
    for (Object o : list.getList("data")) {
      out.add((DataRecord) o);
    }
    return out;
  }

  /** One page of a sub-list. */
  public static DataRecord page(List<DataRecord> items, Map<String, Object> params,
      Set<String> allowed, String url, String objectType) {
    Lists.Query q = Lists.parse(params, allowed, false);
    int from = 0;
    int to = items.size();
    if (q.startingAfter != null) {
      from = position(items, q.startingAfter, "starting_after", objectType) + 1;
    } else if (q.endingBefore != null) {
      to = position(items, q.endingBefore, "ending_before", objectType);
    }
    List<DataRecord> data;
    boolean hasMore;
    if (q.endingBefore != null) {
      int start = Math.max(0, to - q.limit);
      data = items.subList(start, to);
      hasMore = start > 0;
    } else {
      int end = Math.min(to, from + q.limit);
      data = items.subList(Math.min(from, end), end);
      hasMore = end < to;
    }
    return Lists.envelope(url, data, hasMore);
  }

  private static int position(List<DataRecord> items, String id, String param, String type) {
    for (int i = 0; i < items.size(); i++) {
      if (id.equals(items.get(i).getString("id"))) {
        return i;
      }
    }
    throw new ApiError(400, "invalid_request_error", "resource_missing",
        "No such " + type + ": '" + id + "'", param);
  }
}
