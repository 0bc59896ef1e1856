package dev.readthrough.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** The wait cases on 16 benchmark threads. */
@State(Scope.Benchmark)
@Threads(16)
public class Waits16Threads extends WaitCases {}
