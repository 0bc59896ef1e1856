package dev.readthrough.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** The wait cases on 1 benchmark thread. */
@State(Scope.Benchmark)
@Threads(1)
public class Waits1Thread extends WaitCases {}
