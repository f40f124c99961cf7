/**
 * How a Stripe connection speaks HTTP: {@link dev.sluice.stripe.http.ProxySettings} (an outbound
 * proxy, Basic or Digest, tunnelled or not), {@link dev.sluice.stripe.http.Throttle} (the rate
 * limits every call shares) and {@link dev.sluice.stripe.http.ConnectionCheck} (what {@code
 * StripeConnection.test()} found). Set them on {@link dev.sluice.stripe.StripeConnection.Builder}.
 */
package dev.sluice.stripe.http;
