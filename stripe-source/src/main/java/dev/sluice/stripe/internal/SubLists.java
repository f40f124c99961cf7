package dev.sluice.stripe.internal;

import dev.sluice.stripe.StripeResourceReader;
import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Completes embedded lists that Stripe cuts at 10 items ({@code invoice.lines}, {@code
 * subscription.items}, …): every top-level field holding {@code {"object":"list","has_more":true,
 * "url":…}} is paged to its end through its own list endpoint, and the record gets the whole list
 * with {@code has_more} false.
 */
public final class SubLists {
  private SubLists() {}

  /** What completing one record cost. */
  public record Completed(DataRecord record, int requests, long bytes) {}

  /** A page of records with their lists completed, and what that cost. */
  public record CompletedPage(List<DataRecord> records, int requests, long bytes) {}

  /** Completes every record of a page, in order. */
  public static CompletedPage completeAll(List<DataRecord> records, StripeResourceReader reader) {
    List<DataRecord> out = new ArrayList<>(records.size());
    int requests = 0;
    long bytes = 0;
    for (DataRecord record : records) {
      Completed c = complete(record, reader);
      out.add(c.record());
      requests += c.requests();
      bytes += c.bytes();
    }
    return new CompletedPage(out, requests, bytes);
  }

  /** Returns the record with every cut embedded list completed. */
  public static Completed complete(DataRecord record, StripeResourceReader reader) {
    DataRecord.Builder builder = null;
    int requests = 0;
    long bytes = 0;
    for (Map.Entry<String, Object> field : record.asMap().entrySet()) {
      if (!(field.getValue() instanceof DataRecord)) {
        continue;
      }
      DataRecord list = (DataRecord) field.getValue();
      if (!"list".equals(list.get("object")) || !Boolean.TRUE.equals(list.get("has_more"))
          || !(list.get("url") instanceof String) || !(list.get("data") instanceof List)) {
        continue;
      }
      List<Object> items = new ArrayList<>(list.getList("data"));
      boolean more = true;
      while (more && !items.isEmpty()) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("limit", Integer.toString(ResourceSync.PAGE_SIZE));
        params.put("starting_after", ((DataRecord) items.get(items.size() - 1)).getString("id"));
        StripeResourceReader.ListPage page = reader.list(list.getString("url"), params);
        requests += page.requests();
        bytes += page.bytes();
        items.addAll(page.data());
        more = page.hasMore() && !page.data().isEmpty();
      }
      if (builder == null) {
        builder = record.toBuilder();
      }
      builder.put(field.getKey(), list.toBuilder().put("data", items).put("has_more", false).build());
    }
    return new Completed(builder == null ? record : builder.build(), requests, bytes);
  }
}
