package dev.readthrough.bench;

import dev.readthrough.bench.jetcache.JetCacheState;
import dev.readthrough.bench.spring.SpringState;
import java.util.concurrent.TimeUnit;
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
 * Every case that talks to Redis, on the same value and the same server. Subclasses fix the thread
 * count. The annotations give the quick mode; {@code run.sh full} overrides them on the command
 * line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class RedisCases {

  /** {@code small}: one {@link Item}; {@code large}: a list of 100. */
  @Param({"small", "large"})
  public String value;

  /** Raw Redisson GET of the stored bytes plus plain Kryo decode. */
  @Benchmark
  public Object floor(FloorState floor) {
    return floor.read();
  }

  /**
   * The second floor: a synchronous Lettuce GET of the same bytes on one shared connection, and the
   * same decode.
   */
  @Benchmark
  public Object lettuceFloor(LettuceFloorState floor) {
    return floor.read();
  }

  /** The woven method, served from Redis. */
  @Benchmark
  public Object wovenHit(WovenState woven) {
    return woven.hit();
  }

  /**
   * The woven method, served from Redis, with a Micrometer registry bound: the same as {@link
   * #wovenHit} but for the meters.
   */
  @Benchmark
  public Object wovenHitMetered(MeteredWovenState woven) {
    return woven.hit();
  }

  /**
   * The woven method, served from Redis, with the engine on a client handed in: one with Redisson's
   * default settings, as the floor's.
   */
  @Benchmark
  public Object wovenHitSharedClient(SharedClientWovenState woven) {
    return woven.hit();
  }

  /** The woven method with a fresh key: GET (absent), the method, asynchronous SET with TTL. */
  @Benchmark
  public Object wovenMiss(WovenMissState woven, MissKeys keys) {
    return woven.miss(keys.next());
  }

  /** Spring {@code @Cacheable} proxy on RedissonSpringCacheManager, served from Redis. */
  @Benchmark
  public Object springHit(SpringState spring) {
    return spring.hit();
  }

  /** JetCache {@code @Cached} remote cache on Redisson, served from Redis. */
  @Benchmark
  public Object jetcacheHit(JetCacheState jetcache) {
    return jetcache.hit();
  }
}
