package dev.sluice.stripe.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.testkit.StripeEmulatorExtension;
import dev.sluice.xdm.DataRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each filter clause gives the records a brute-force filter of every record gives, whether it ran
 * on list parameters, on Search or by filtering pages.
 */
class FilterClauseTest {
  @RegisterExtension
  static final StripeEmulatorExtension STRIPE =
      new StripeEmulatorExtension(StripeEmulator.builder().seed(13).objectsPerResource(120));

  StripeOperations reader;

  @BeforeEach
  void connect() {
    reader = connect(STRIPE.baseUrl());
  }

  static StripeOperations connect(String base) {
    return StripeConnection.builder().apiKey("sk_test_filters").apiBase(base)
        .initialBackoff(Duration.ofMillis(1)).throttle(Throttle.none()).build().operations();
  }

  private List<DataRecord> all(String entity) {
    return reader.list(entity).toList();
  }

  private static List<String> ids(List<DataRecord> records) {
    return records.stream().map(r -> r.getString("id")).toList();
  }

  private static long num(DataRecord r, String f) {
    Long v = r.getLong(f);
    return v == null ? Long.MIN_VALUE : v;
  }

  /** Runs the clause every way that can run it and the way Sluice picks; all must match brute force. */
  private void check(String entity, String clause, Predicate<DataRecord> meaning, ListStrategy chosen,
      ListStrategy... alsoRuns) {
    List<String> expected = ids(all(entity).stream().filter(meaning).toList());
    ListRequest auto = ListRequest.builder(entity).filter(clause).pageSize(7).build();
    assertThat(ops(auto).strategy).as(clause).isEqualTo(chosen);
    assertThat(ops(auto).ids).as(clause + " chosen " + chosen).isEqualTo(expected);
    assertThat(ids(reader.list(entity, clause).toList())).as(clause).isEqualTo(expected);
    for (ListStrategy s : alsoRuns) {
      Run run = ops(auto.toBuilder().strategy(s).build());
      assertThat(run.strategy).isEqualTo(s);
      assertThat(run.ids).as(clause + " by " + s).isEqualTo(expected);
    }
  }

  private record Run(List<String> ids, ListStrategy strategy) {}

  /** Every page of a request, following the tokens. */
  private Run ops(ListRequest request) {
    List<String> out = new ArrayList<>();
    EntityPage page = reader.page(request);
    ListStrategy strategy = page.strategy();
    out.addAll(ids(page.records()));
    while (page.hasNext()) {
      assertThat(page.records()).hasSize(request.pageSize());
      page = reader.page(request.toBuilder().pageToken(page.nextPageToken()).build());
      out.addAll(ids(page.records()));
    }
    return new Run(out, strategy);
  }

  @Test
  void customerClauses() {
    List<DataRecord> customers = all("customers");
    DataRecord someone = customers.stream().filter(c -> c.getString("email") != null
        && c.getString("name") != null).skip(3).findFirst().orElseThrow();
    String email = someone.getString("email");
    String name = someone.getString("name");
    check("Customer", "Email = '" + email.replace("'", "''") + "'",
        r -> email.equals(r.getString("email")), ListStrategy.LIST_PARAMETERS,
        ListStrategy.SEARCH, ListStrategy.PAGE_FILTER);
    check("Customer", "Name = '" + name.replace("'", "''") + "'",
        r -> name.equals(r.getString("name")), ListStrategy.SEARCH, ListStrategy.PAGE_FILTER);
    String shouted = name.toUpperCase(Locale.ROOT);
    check("Customer", "name = '" + shouted.replace("'", "\\'") + "'",
        r -> shouted.equals(r.getString("name")), ListStrategy.SEARCH, ListStrategy.PAGE_FILTER);
    long created = customers.get(40).getLong("created");
    long earlier = customers.get(90).getLong("created");
    check("Customer", "Created > " + earlier + " AND Created <= " + created,
        r -> num(r, "created") > earlier && num(r, "created") <= created, ListStrategy.SEARCH,
        ListStrategy.LIST_PARAMETERS, ListStrategy.PAGE_FILTER);
    check("Customer", "Email IS NULL OR Phone = NULL",
        r -> r.get("email") == null || r.get("phone") == null, ListStrategy.SEARCH,
        ListStrategy.PAGE_FILTER);
    check("Customer", "Name != '" + name.replace("'", "''") + "' AND Balance < 0",
        r -> r.getString("name") != null && !name.equals(r.getString("name")) && num(r, "balance") < 0
            && r.get("balance") != null,
        ListStrategy.PAGE_FILTER);
  }

  @Test
  void chargeClauses() {
    DataRecord one = all("charges").stream().filter(c -> c.getString("customer") != null)
        .findFirst().orElseThrow();
    String customer = one.getString("customer");
    check("Charge", "Amount > 1000 AND Currency = 'usd'",
        r -> num(r, "amount") > 1000 && "usd".equals(r.getString("currency")), ListStrategy.SEARCH,
        ListStrategy.PAGE_FILTER);
    check("Charge", "Status = 'failed' OR Amount < 500",
        r -> "failed".equals(r.getString("status")) || (r.get("amount") != null && num(r, "amount") < 500),
        ListStrategy.SEARCH, ListStrategy.PAGE_FILTER);
    check("Charge", "(Status = 'succeeded' OR Status = 'pending') AND Amount >= 2000.0",
        r -> ("succeeded".equals(r.getString("status")) || "pending".equals(r.getString("status")))
            && num(r, "amount") >= 2000, ListStrategy.SEARCH, ListStrategy.PAGE_FILTER);
    check("Charge", "Customer = '" + customer + "' AND Refunded = FALSE",
        r -> customer.equals(r.getString("customer")) && Boolean.FALSE.equals(r.getBoolean("refunded")),
        ListStrategy.LIST_PARAMETERS, ListStrategy.SEARCH, ListStrategy.PAGE_FILTER);
    check("Charge", "Description > 'M'",
        r -> r.getString("description") != null && r.getString("description").compareTo("M") > 0,
        ListStrategy.PAGE_FILTER);
  }

  @Test
  void clausesOnEntitiesWithoutSearch() {
    check("Quote", "Status = 'draft'", r -> "draft".equals(r.getString("status")),
        ListStrategy.LIST_PARAMETERS, ListStrategy.PAGE_FILTER);
    check("Quote", "AmountTotal >= 5000 OR Status = 'canceled'",
        r -> num(r, "amount_total") >= 5000 || "canceled".equals(r.getString("status")),
        ListStrategy.PAGE_FILTER);
    assertThatThrownBy(() -> reader.page(ListRequest.builder("Quote").filter("Status = 'open'")
        .strategy(ListStrategy.SEARCH).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no Search API");
  }

  @Test
  void canceledSubscriptionsAreFoundEveryWay() {
    check("Subscription", "Status = 'canceled'", r -> "canceled".equals(r.getString("status")),
        ListStrategy.LIST_PARAMETERS, ListStrategy.SEARCH, ListStrategy.PAGE_FILTER);
    assertThat(all("subscriptions")).anyMatch(r -> "canceled".equals(r.getString("status")));
  }

  @Test
  void quotedValuesWithQuotesAndUnicode() {
    StripeOperations writer = connect(STRIPE.baseUrl());
    String id = writer.create("Customer", Map.of("Name", "O'Brien \\ Zoë")).getString("id");
    check("Customer", "Name = 'O''Brien \\\\ Zoë'", r -> "O'Brien \\ Zoë".equals(r.getString("name")),
        ListStrategy.SEARCH, ListStrategy.PAGE_FILTER);
    assertThat(ids(reader.list("Customer", "Name = 'O\\'Brien \\\\ Zoë'").toList())).containsExactly(id);
  }

  @Test
  void searchIsNeverUsedToReadThisConnectionsOwnRecentWrites() {
    STRIPE.emulator().faults().searchLag(Duration.ofSeconds(60));
    StripeOperations writer = connect(STRIPE.baseUrl());
    String id = writer.create("Customer", Map.of("Name", "Fresh Fiona")).getString("id");

    EntityPage mine = writer.page(ListRequest.builder("Customer").filter("Name = 'Fresh Fiona'").build());
    assertThat(ids(mine.records())).containsExactly(id);
    assertThat(mine.strategy()).isEqualTo(ListStrategy.PAGE_FILTER);
    assertThatThrownBy(() -> writer.page(ListRequest.builder("Customer").filter("Name = 'Fresh Fiona'")
        .strategy(ListStrategy.SEARCH).build()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Search may not show it yet");

    // Another connection did not write: it searches, and Search does not show the write yet.
    EntityPage theirs = reader.page(ListRequest.builder("Customer").filter("Name = 'Fresh Fiona'").build());
    assertThat(theirs.strategy()).isEqualTo(ListStrategy.SEARCH);
    assertThat(theirs.records()).isEmpty();
    // Writes to payment intents make charges unsearchable for the writer too (confirming makes one).
    writer.create("PaymentIntent", Map.of("Amount", 100, "Currency", "usd"));
    assertThat(writer.page(ListRequest.builder("Charge").filter("Amount > 5").pageSize(1).build()).strategy())
        .isEqualTo(ListStrategy.PAGE_FILTER);
  }

  @Test
  void unparsableClausesPointAtTheColumn() {
    record Bad(String clause, int column, String says) {}
    List<Bad> bad = List.of(
        new Bad("Name = 'John", 8, "not closed"),
        new Bad("Name = John", 8, "single quotes"),
        new Bad("Name 'John'", 6, "operator"),
        new Bad("Amount >> 5", 9, "value"),
        new Bad("Amount > 1000 AND", 18, "column name"),
        new Bad("(Name = 'a'", 12, "expected )"),
        new Bad("Name = 'a' Email = 'b'", 12, "AND, OR"),
        new Bad("Name = \"a\"", 8, "single quotes"),
        new Bad("Amount > NULL", 10, "NULL"),
        new Bad("  ", 3, "empty"));
    for (Bad b : bad) {
      if (b.clause().isBlank()) {
        continue; // a blank clause means no filter
      }
      assertThatThrownBy(() -> reader.list("Customer", b.clause()))
          .as(b.clause())
          .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
            assertThat(e.column()).as(b.clause()).isEqualTo(b.column());
            assertThat(e.getMessage()).as(b.clause()).contains("column " + b.column()).contains(b.says());
            assertThat(e.clause()).isEqualTo(b.clause());
          });
    }
    assertThat(reader.list("Customer", "  ").count()).isEqualTo(all("customers").size());
    assertThat(reader.list("Customer", "id = 'nope'").findFirst()).isEmpty();
  }
}
