/** The webhook receiver's durable queue of verified events. Not public API. */
package dev.sluice.stripe.webhook.internal;
