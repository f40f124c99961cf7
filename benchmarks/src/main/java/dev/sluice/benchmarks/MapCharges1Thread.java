package dev.sluice.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** {@link MapChargesBenchmark} on one thread. */
@Threads(1)
public class MapCharges1Thread extends MapChargesBenchmark {}
