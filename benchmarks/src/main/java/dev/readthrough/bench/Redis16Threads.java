package dev.readthrough.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The Redis cases on 16 benchmark threads (more threads than cores: the client CPU per call decides
 * throughput).
 */
@State(Scope.Benchmark)
@Threads(16)
public class Redis16Threads extends RedisCases {}
