package dev.sluice.stripe;

/**
 * Which version of an object an incremental run writes for an update event.
 *
 * <p>An event's {@code data.object} is rendered in the API version of the event's creation, not
 * the version the connection pins; and it is the object as it was then, not as it is now.
 */
public enum EventObjects {
  /**
   * Re-fetch the object at the connection's pinned version: the current state, shaped like every
   * other record of the dataset. Costs one request per changed object (per page). The default.
   */
  REFETCH,
  /** Take the event's own copy of the object: no extra request, but the event's API version. */
  EVENT_COPY
}
