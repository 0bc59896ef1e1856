package dev.readthrough.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** The Redis cases on 16 benchmark threads (on a 2-core machine: Redis latency, not cores, bounds them). */
@State(Scope.Benchmark)
@Threads(16)
public class Redis16Threads extends RedisCases {}
