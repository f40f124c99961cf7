/** Implementation of the Stripe source. Not public API: use the types in {@code dev.sluice.stripe}. */
package dev.sluice.stripe.internal;
