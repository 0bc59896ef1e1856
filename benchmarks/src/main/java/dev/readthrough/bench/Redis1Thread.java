package dev.readthrough.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** The Redis cases on one benchmark thread. */
@State(Scope.Benchmark)
@Threads(1)
public class Redis1Thread extends RedisCases {}
