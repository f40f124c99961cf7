/**
 * A Stripe emulator for tests, examples and benchmarks: a real HTTP server on the loopback
 * interface speaking Stripe's wire format, serving generated, deterministic data for every
 * resource of the {@link dev.sluice.stripe.catalog.StripeCatalog}.
 *
 * <pre>{@code
 * try (StripeEmulator stripe = StripeEmulator.builder().seed(42).start()) {
 *   String apiBase = stripe.baseUrl();   // http://127.0.0.1:PORT; GET apiBase + "/v1/charges"
 * }
 * }</pre>
 *
 * <p>Start it from the command line with {@link dev.sluice.testkit.StripeEmulatorMain}.
 */
package dev.sluice.testkit;
