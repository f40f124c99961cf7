/**
 * What Stripe is, as data: {@link dev.sluice.stripe.catalog.StripeCatalog} lists each resource's
 * path, id prefix, filters and event types, and {@link dev.sluice.stripe.catalog.StripeFixtures}
 * holds a real example object of every type. Both the Stripe source and the Stripe emulator read
 * these facts from here, so they are written once.
 */
package dev.sluice.stripe.catalog;
