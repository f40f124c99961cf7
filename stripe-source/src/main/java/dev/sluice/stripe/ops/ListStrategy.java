package dev.sluice.stripe.ops;

/**
 * How a list with a filter clause was answered. Whichever ran, the records are the same: each is
 * checked against the exact clause before it is returned.
 */
public enum ListStrategy {
  /**
   * The list endpoint with parameters that narrow it ({@code email}, {@code customer}, {@code
   * status}, {@code created[gt]}, …), each record then checked against the clause.
   */
  LIST_PARAMETERS,
  /**
   * Stripe's Search API ({@code /v1/<resource>/search}), its results checked against the exact
   * clause (Search matches loosely). Never chosen for a resource this connection wrote to in the
   * last {@link StripeOperations#SEARCH_FRESHNESS}, since Search lags writes.
   */
  SEARCH,
  /** Every page of the list endpoint, each record checked against the clause (if any). */
  PAGE_FILTER
}
