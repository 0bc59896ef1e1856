package dev.readthrough.bench;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How the wait on a GET's future costs: the floor as Redisson waits ({@code RBucket.get()}, the
 * untimed {@code CompletableFuture.get()}), the same floor waited for with a timeout as the engine
 * waits, and the woven hit. Subclasses fix the thread count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class WaitCases {

  /** {@code small}: one {@link Item}; {@code large}: a list of 100. */
  @Param({"small"})
  public String value;

  /** {@code RBucket.get()} and decode: the floor. */
  @Benchmark
  public Object floor(FloorState floor) {
    return floor.read();
  }

  /** {@code RBucket.getAsync()}, {@code get(200 ms)} and decode. */
  @Benchmark
  public Object floorTimedWait(FloorState floor)
      throws ExecutionException, InterruptedException, TimeoutException {
    return floor.readTimed();
  }

  /** The woven method, served from Redis. */
  @Benchmark
  public Object wovenHit(WovenState woven) {
    return woven.hit();
  }
}
