package dev.sluice.stripe.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog owns the event names Sluice reads: every one must be a name Stripe documents (its
 * OpenAPI description) or one of a reviewed list of newer names. A made-up or misspelled name
 * would filter {@code /v1/events} to nothing and lose every change silently.
 */
class EventNamesTest {
  private static Set<String> documented;
  private static List<String> newer;

  @BeforeAll
  static void load() throws IOException {
    documented = OpenApiDescription.eventTypes();
    newer = allowList();
  }

  @Test
  void everyEventNameTheCatalogUsesIsStripes() {
    assertThat(documented).hasSizeGreaterThan(150).contains("charge.dispute.created");
    assertThat(unknown(catalogNames(StripeCatalog.all()), documented, newer))
        .as("event names neither in Stripe's OpenAPI description nor in newer-event-names.txt")
        .isEmpty();
  }

  @Test
  void aMadeUpNameIsCaught() {
    StripeResource charges = StripeCatalog.require("charges");
    List<String> events = new ArrayList<>(charges.eventTypes());
    events.add("dispute.created"); // the name Sluice once used instead of charge.dispute.created
    StripeResource wrong = new StripeResource(charges.name(), charges.path(), charges.objectType(),
        charges.idPrefix(), charges.createdFilter(), charges.listParameters(), events,
        charges.deleteEventType(), charges.searchable(),
        List.of(new StripeResource.LinkedEvent("charge.dispute.opened", "charge")));

    assertThat(unknown(catalogNames(List.of(wrong)), documented, newer))
        .containsExactly("charge.dispute.opened", "dispute.created");
  }

  @Test
  void theAllowListHoldsOnlyNamesTheDescriptionLacksAndTheCatalogUses() {
    Set<String> used = catalogNames(StripeCatalog.all());
    for (String entry : newer) {
      assertThat(documented).as("%s is documented: remove it from the allow-list", entry)
          .doesNotContain(entry);
      assertThat(used.stream().anyMatch(name -> matches(entry, name)))
          .as("%s is allowed but no resource reads it: remove it from the allow-list", entry)
          .isTrue();
    }
  }

  @Test
  void everyResourceFitsTheEventListFilter() {
    for (StripeResource r : StripeCatalog.all()) {
      assertThat(r.changeEventTypes()).as(r.name()).hasSizeLessThanOrEqualTo(20).doesNotHaveDuplicates();
      if (r.deletable()) {
        assertThat(r.eventTypes()).as(r.name()).contains(r.deleteEventType());
      }
    }
  }

  /** Every event name a resource of the catalog reads or names. */
  static Set<String> catalogNames(Collection<StripeResource> resources) {
    Set<String> names = new LinkedHashSet<>();
    for (StripeResource r : resources) {
      names.addAll(r.changeEventTypes());
      if (r.deleteEventType() != null) {
        names.add(r.deleteEventType());
      }
    }
    return names;
  }

  /** The names that are neither documented nor allowed, sorted. */
  static Set<String> unknown(Collection<String> names, Set<String> documented, List<String> allowed) {
    Set<String> unknown = new TreeSet<>();
    for (String name : names) {
      if (!documented.contains(name) && allowed.stream().noneMatch(a -> matches(a, name))) {
        unknown.add(name);
      }
    }
    return unknown;
  }

  private static boolean matches(String allowed, String name) {
    return allowed.endsWith(".*")
        ? name.startsWith(allowed.substring(0, allowed.length() - 1))
        : allowed.equals(name);
  }

  private static List<String> allowList() throws IOException {
    List<String> entries = new ArrayList<>();
    try (InputStream in = Objects.requireNonNull(
            EventNamesTest.class.getResourceAsStream("newer-event-names.txt"), "newer-event-names.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          entries.add(line);
        }
      }
    }
    return entries;
  }
}
