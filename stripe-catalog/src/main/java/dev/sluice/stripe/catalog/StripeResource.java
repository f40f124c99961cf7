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
    boolean searchable) {

  /** Checks the fields and makes the collections unmodifiable. */
  public StripeResource {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(objectType, "objectType == null");
    Objects.requireNonNull(idPrefix, "idPrefix == null");
    listParameters = Map.copyOf(listParameters);
    eventTypes = List.copyOf(eventTypes);
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
