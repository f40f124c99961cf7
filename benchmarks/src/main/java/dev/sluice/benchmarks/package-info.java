/**
 * JMH benchmarks of Sluice's mapping engine, side by side with JSLT and JOLT, on the same charge
 * JSON lines: JSON text in, JSON text out, each engine with its own parser and writer.
 *
 * <p>{@link dev.sluice.benchmarks.MapCharges1Thread} and {@link
 * dev.sluice.benchmarks.MapCharges2Threads} are the benchmarks; {@link
 * dev.sluice.benchmarks.Engines} holds the three engines and {@link
 * dev.sluice.benchmarks.Equivalence} the check, run before measuring, that they agree line by
 * line. {@link dev.sluice.benchmarks.ReaderBenchmark} is a plain program, not JMH: it reads
 * charges from the emulator at Stripe-like latency and rate limit. Nothing here runs during the
 * Maven build; see the module's README for the commands.
 */
package dev.sluice.benchmarks;
