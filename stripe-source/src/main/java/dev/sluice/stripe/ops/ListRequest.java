package dev.sluice.stripe.ops;

import java.util.Objects;

/**
 * What to list: an entity, an optional filter clause, a page size and where to start.
 *
 * <pre>{@code
 * ListRequest first = ListRequest.builder("Customer").filter("Email = 'jo@example.com'").pageSize(50).build();
 * EntityPage page = ops.page(first);
 * while (page.hasNext()) {
 *   page = ops.page(first.toBuilder().pageToken(page.nextPageToken()).build());
 * }
 * }</pre>
 *
 * <p>Immutable. A page token only fits the entity and filter it was made for.
 */
public final class ListRequest {
  private final String entity;
  private final String filter;
  private final int pageSize;
  private final String pageToken;
  private final ListStrategy strategy;

  private ListRequest(Builder b) {
    this.entity = b.entity;
    this.filter = b.filter;
    this.pageSize = b.pageSize;
    this.pageToken = b.pageToken;
    this.strategy = b.strategy;
  }

  /** A builder listing {@code entity} ({@code "Customer"}, {@code "payment_intents"}, …). */
  public static Builder builder(String entity) {
    return new Builder(entity);
  }

  /** A builder holding this request's settings. */
  public Builder toBuilder() {
    Builder b = new Builder(entity);
    b.filter = filter;
    b.pageSize = pageSize;
    b.pageToken = pageToken;
    b.strategy = strategy;
    return b;
  }

  /** The entity to list. */
  public String entity() {
    return entity;
  }

  /** The filter clause, or {@code null} for every record. */
  public String filter() {
    return filter;
  }

  /** How many records a page holds at most (1 to 100; default 100). */
  public int pageSize() {
    return pageSize;
  }

  /** Where to continue ({@link EntityPage#nextPageToken()}), or {@code null} for the first page. */
  public String pageToken() {
    return pageToken;
  }

  /** The strategy asked for, or {@code null} to let Sluice choose the cheapest correct one. */
  public ListStrategy strategy() {
    return strategy;
  }

  @Override
  public String toString() {
    return "ListRequest{entity=" + entity + (filter == null ? "" : ", filter=" + filter)
        + ", pageSize=" + pageSize + (pageToken == null ? "" : ", pageToken=" + pageToken)
        + (strategy == null ? "" : ", strategy=" + strategy) + "}";
  }

  /** Builds a {@link ListRequest}. */
  public static final class Builder {
    private final String entity;
    private String filter;
    private int pageSize = 100;
    private String pageToken;
    private ListStrategy strategy;

    private Builder(String entity) {
      this.entity = Objects.requireNonNull(entity, "entity == null");
    }

    /**
     * Only records that satisfy this clause, such as {@code Amount > 1000 AND Currency = 'usd'};
     * {@code null} or blank for all. Checked when the request is run.
     */
    public Builder filter(String clause) {
      this.filter = clause == null || clause.isBlank() ? null : clause;
      return this;
    }

    /**
     * At most this many records per page.
     *
     * @throws IllegalArgumentException unless 1 to 100
     */
    public Builder pageSize(int pageSize) {
      if (pageSize < 1 || pageSize > 100) {
        throw new IllegalArgumentException("pageSize must be 1 to 100, was " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    /** Continue after the page that gave this token; {@code null} starts at the first page. */
    public Builder pageToken(String token) {
      this.pageToken = token;
      return this;
    }

    /**
     * Run the listing this way instead of letting Sluice choose: for tests and diagnostics. When
     * the strategy cannot answer the clause (no list parameter fits it, the entity has no search,
     * the clause cannot be searched) the listing fails with an {@link IllegalArgumentException};
     * {@link ListStrategy#SEARCH} on an entity this connection wrote to recently fails with an
     * {@link IllegalStateException}. {@code null} goes back to choosing.
     */
    public Builder strategy(ListStrategy strategy) {
      this.strategy = strategy;
      return this;
    }

    /** Returns the request. */
    public ListRequest build() {
      return new ListRequest(this);
    }
  }
}
