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
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@value ItemService#COUNT} cached ids read in one bulk call ({@code each}, one MGET) against the
 * same ids read by as many single-key calls (one GET each), and against the bulk floor: the same
 * items read by hand with one {@code RBuckets.get(keys...)} and a plain Kryo decode of each. One
 * operation is all the ids in every case. With {@code -prof
 * dev.readthrough.bench.RedisCallsProfiler} the Redis commands per operation are counted by the
 * server.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(1)
public class BulkReads {

  /** {@code findAll(ids)}: one call, one MGET of every id's entry. */
  @Benchmark
  public Object bulkHit(ItemState items) {
    return items.service.findAll(items.ids);
  }

  /** {@code RBuckets.get(keys...)} of the same items' plain Kryo bytes, and a decode of each. */
  @Benchmark
  public Object bulkFloor(BulkFloorState floor) {
    return floor.read();
  }

  /** {@code find(id)} once per id: a GET each. */
  @Benchmark
  public void singleHits(ItemState items, Blackhole hole) {
    ItemService service = items.service;
    for (int i = 0; i < items.ids.size(); i++) {
      hole.consume(service.find(items.ids.get(i)));
    }
  }
}
