/**
 * Stripe webhooks: {@link dev.sluice.stripe.webhook.WebhookVerifier} checks a delivery's {@code
 * Stripe-Signature} the way Stripe signs it; {@link dev.sluice.stripe.webhook.WebhookReceiver} is
 * the framework-free call a servlet or Spring controller makes with a delivery, answering 2xx only
 * once the event is durably queued; {@link dev.sluice.stripe.webhook.WebhookServer} serves that
 * receiver on the JDK's own HTTP server for applications without one.
 */
package dev.sluice.stripe.webhook;
