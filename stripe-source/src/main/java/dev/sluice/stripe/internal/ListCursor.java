package dev.sluice.stripe.internal;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where listing a resource stands, saved as the flow's checkpoint (plain JSON, no secret).
 *
 * <p>A pass lists the resource newest first, from {@code since} (inclusive, {@code null} on the
 * first pass: everything) upward, following {@code startingAfter}. Objects created in the second
 * {@code since} whose ids are in {@code seenAtSince} were read by the previous pass and are
 * skipped, so objects that share a second with the previous pass's newest are neither lost nor
 * read twice. {@code newest} and {@code newestIds} collect the newest second of the running pass;
 * when the pass ends they become the next pass's {@code since} and {@code seenAtSince}.
 */
public record ListCursor(
    Long since, Set<String> seenAtSince, String startingAfter, Long newest, Set<String> newestIds) {

  /** The cursor of a first run: read everything. */
  public static final ListCursor START = new ListCursor(null, Set.of(), null, null, Set.of());

  /** Copies the id sets. */
  public ListCursor {
    seenAtSince = Set.copyOf(seenAtSince);
    newestIds = Set.copyOf(newestIds);
  }

  /** Reads a checkpoint; {@code null} is the start. */
  public static ListCursor parse(String checkpoint) {
    if (checkpoint == null) {
      return START;
    }
    DataRecord r;
    try {
      r = DataRecord.fromJson(checkpoint);
    } catch (RuntimeException e) {
      throw unreadable(e);
    }
    return fromRecord(r);
  }

  /**
   * Reads a cursor from the record {@link #toRecord()} made (as it stands inside a larger
   * checkpoint).
   *
   * @throws JsonFormatException when the record is not a list cursor
   */
  public static ListCursor fromRecord(DataRecord r) {
    try {
      return new ListCursor(
          r.getLong("since"),
          ids(r.getList("seen_at_since")),
          r.getString("starting_after"),
          r.getLong("newest"),
          ids(r.getList("newest_ids")));
    } catch (RuntimeException e) {
      throw unreadable(e);
    }
  }

  private static JsonFormatException unreadable(RuntimeException e) {
    return new JsonFormatException(
        "The saved checkpoint is not a Stripe list cursor (" + e.getMessage()
            + "); delete it to read the resource from scratch", e);
  }

  private static Set<String> ids(List<Object> list) {
    Set<String> ids = new LinkedHashSet<>();
    if (list != null) {
      for (Object o : list) {
        ids.add((String) o);
      }
    }
    return ids;
  }

  /** The cursor after reading {@code page} (newest first) with {@code hasMore}. */
  public ListCursor advance(List<DataRecord> page, boolean hasMore) {
    Long newestNow = newest;
    Set<String> ids = new LinkedHashSet<>(newestIds);
    for (DataRecord object : page) {
      Long created = object.getLong("created");
      if (created == null) {
        continue;
      }
      if (newestNow == null || created > newestNow) {
        newestNow = created;
        ids.clear();
      }
      if (created.equals(newestNow)) {
        ids.add(object.getString("id"));
      }
    }
    if (hasMore && !page.isEmpty()) {
      return new ListCursor(since, seenAtSince, page.get(page.size() - 1).getString("id"), newestNow, ids);
    }
    if (newestNow == null) {
      // Nothing new in this pass: the next one starts where this one did.
      return new ListCursor(since, seenAtSince, null, null, Set.of());
    }
    if (newestNow.equals(since)) {
      ids.addAll(seenAtSince);
    }
    return new ListCursor(newestNow, ids, null, null, Set.of());
  }

  /** Whether an object was already read by the previous pass. */
  public boolean alreadyRead(DataRecord object) {
    Long created = object.getLong("created");
    return since != null && created != null && created.equals(since) && seenAtSince.contains(object.getString("id"));
  }

  /** The checkpoint text. */
  public String toJson() {
    return toRecord().toJson();
  }

  /** The checkpoint as a record, for a checkpoint that holds the cursor inside it. */
  public DataRecord toRecord() {
    return DataRecord.builder()
        .put("since", since)
        .put("seen_at_since", new ArrayList<>(seenAtSince))
        .put("starting_after", startingAfter)
        .put("newest", newest)
        .put("newest_ids", new ArrayList<>(newestIds))
        .build();
  }
}
