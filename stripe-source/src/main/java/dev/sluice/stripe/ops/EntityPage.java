package dev.sluice.stripe.ops;

import dev.sluice.xdm.DataRecord;
import java.util.List;

/**
 * One page of a {@linkplain StripeOperations#page listing}.
 *
 * @param records the records of this page, in Stripe's order (newest first), at most the page size
 * @param nextPageToken the token that asks for the next page ({@link ListRequest.Builder#pageToken}),
 *     or {@code null} when this is the last page
 * @param strategy how the page was read
 */
public record EntityPage(List<DataRecord> records, String nextPageToken, ListStrategy strategy) {
  /** Copies the list. */
  public EntityPage {
    records = List.copyOf(records);
  }

  /** Whether another page follows. */
  public boolean hasNext() {
    return nextPageToken != null;
  }
}
