package dev.readthrough.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** {@link RoundTrips} on one thread. */
@State(Scope.Benchmark)
@Threads(1)
public class RoundTrip1Thread extends RoundTrips {}
