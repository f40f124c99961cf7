/**
 * Stripe as a source: {@link dev.sluice.stripe.StripeConnection} (an API key, where the API is,
 * one shared transport) and {@link dev.sluice.stripe.SourceConnection} (one resource read as a
 * change source), and the {@link dev.sluice.stripe.StripeException} family for what Stripe
 * refused.
 */
package dev.sluice.stripe;
