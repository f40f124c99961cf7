/**
 * The implementation of {@link dev.sluice.stripe.ops}: entity knowledge, input conversion, filter
 * clauses and how each runs. Not public API: it may change without notice.
 */
package dev.sluice.stripe.ops.internal;
