package dev.sluice.stripe.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Sluice knows about one listable Stripe resource: where it is listed, what its objects look
 * like and which events tell of its changes.
 *
 * @param name the name users give, the last segments of its path: {@code "charges"}, {@code
 *     "checkout/sessions"}
 * @param path the list path under the API base: {@code "/v1/charges"}
 * @param objectType the {@code object} value of its objects and the key of its fixture: {@code
 *     "charge"}, {@code "checkout.session"}
 * @param idPrefix the prefix of its ids, {@code "ch_"}; empty when ids are free-form (coupons)
 * @param createdFilter whether its list endpoint takes {@code created[gt|gte|lt|lte]}
 * @param listParameters the parameters its list call needs to return every object, such as {@code
 *     status=all} for subscriptions (Stripe leaves canceled ones out otherwise)
 * @param eventTypes the event types that report a change to its objects
 * @param deleteEventType the event type that reports a deletion, or {@code null} if its objects
 *     cannot be deleted
 * @param searchable whether {@code /v1/<name>/search} exists for it
 * @param linkedEvents events about objects of another type that change an object of this
 *     resource (a dispute changes its charge): read them to refresh the object they name
 */
public record StripeResource(
    String name,
    String path,
    String objectType,
    String idPrefix,
    boolean createdFilter,
    Map<String, String> listParameters,
    List<String> eventTypes,
    String deleteEventType,
    boolean searchable,
    List<LinkedEvent> linkedEvents) {

  /** Checks the fields and makes the collections unmodifiable. */
  public StripeResource {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(objectType, "objectType == null");
    Objects.requireNonNull(idPrefix, "idPrefix == null");
    listParameters = Map.copyOf(listParameters);
    eventTypes = List.copyOf(eventTypes);
    linkedEvents = List.copyOf(linkedEvents);
  }

  /** A resource no other object's events change. */
  public StripeResource(String name, String path, String objectType, String idPrefix,
      boolean createdFilter, Map<String, String> listParameters, List<String> eventTypes,
      String deleteEventType, boolean searchable) {
    this(name, path, objectType, idPrefix, createdFilter, listParameters, eventTypes,
        deleteEventType, searchable, List.of());
  }

  /**
   * An event whose {@code data.object} is of another type but changes an object of this
   * resource: {@code charge.dispute.created} carries a dispute whose {@code charge} names the
   * charge that changed.
   *
   * @param eventType the event's type, such as {@code "charge.dispute.created"}
   * @param idField the field of the event's object that holds the changed object's id (or the
   *     object itself, when expanded), such as {@code "charge"}
   */
  public record LinkedEvent(String eventType, String idField) {
    /** Checks both are given. */
    public LinkedEvent {
      Objects.requireNonNull(eventType, "eventType == null");
      Objects.requireNonNull(idField, "idField == null");
    }
  }

  /**
   * Every event type to read for this resource's changes: its own, then the linked ones. Never more
   * than 20, the most {@code /v1/events?types[]=} takes.
   */
  public List<String> changeEventTypes() {
    List<String> all = new java.util.ArrayList<>(eventTypes);
    for (LinkedEvent linked : linkedEvents) {
      if (!all.contains(linked.eventType())) {
        all.add(linked.eventType());
      }
    }
    return List.copyOf(all);
  }

  /** Whether objects of this resource can be deleted through the API. */
  public boolean deletable() {
    return deleteEventType != null;
  }

  /** The key of this resource's example object in {@link StripeFixtures}. */
  public String fixtureKey() {
    return objectType;
  }
}
