package dev.sluice.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** {@link MapChargesBenchmark} on two threads, each mapping its own stream of the same lines. */
@Threads(2)
public class MapCharges2Threads extends MapChargesBenchmark {}
