/**
 * The Stripe emulator's implementation: data generation, the list engine, the HTTP front. Not an
 * API: users call {@link dev.sluice.testkit.StripeEmulator} and never need a type from here; it may
 * change in any release.
 */
package dev.sluice.testkit.internal;
