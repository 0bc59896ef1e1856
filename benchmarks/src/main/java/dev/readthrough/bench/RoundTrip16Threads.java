package dev.readthrough.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** {@link RoundTrips} on 16 threads. */
@State(Scope.Benchmark)
@Threads(16)
public class RoundTrip16Threads extends RoundTrips {}
