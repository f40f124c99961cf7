/**
 * The HTTP machinery of the Stripe transport: the OkHttp client, throttle, proxy authentication
 * and tunnels, form encoding and logging. Not public API: use {@code dev.sluice.stripe.http}.
 */
package dev.sluice.stripe.internal.http;
