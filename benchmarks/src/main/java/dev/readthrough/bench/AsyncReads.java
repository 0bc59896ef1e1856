package dev.readthrough.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A hit of one cached key through the method that returns a future, joined, against the same entry
 * through the synchronous method of the same cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(1)
public class AsyncReads {

  /** {@code findAsync(id).join()}. */
  @Benchmark
  public Object asyncHit(ItemState items) {
    return items.service.findAsync(ItemState.HIT_ID).join();
  }

  /** {@code find(id)}. */
  @Benchmark
  public Object syncHit(ItemState items) {
    return items.service.find(ItemState.HIT_ID);
  }
}
