package dev.readthrough.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.readthrough.runtime.CacheStats;
import dev.readthrough.runtime.ReadThroughEngine;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The near tier's hit beside its floor and the remote hit, in one run: a hand-written Caffeine
 * {@code getIfPresent} on the same key string the woven method builds ({@code "rt:nearSmall:" +
 * id}, built per call as the woven method builds it), the woven method with {@code localTtlSeconds}
 * answered from this JVM, the same woven method with no engine started (AspectJ's join point and
 * hand-off alone), and the woven method answered from Redis.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(1)
public class NearHits {

  /** The remote hit's value: the same small {@link Item} the near case returns. */
  @Param({"small"})
  public String value;

  /** Hand-written: Caffeine's {@code getIfPresent} on the key string, built per call. */
  @Benchmark
  public Object caffeineGetIfPresent(CaffeineState state) {
    return state.cache.getIfPresent("rt:nearSmall:" + state.id);
  }

  /** The woven method with {@code localTtlSeconds}, its entry held in this JVM. */
  @Benchmark
  public Object nearHit(NearState state) {
    return state.hit();
  }

  /**
   * The same woven method with no engine started: AspectJ's join point and the advice's hand-off,
   * then the method itself. What every woven call pays before any caching, the near hit's floor.
   */
  @Benchmark
  public Object wovenWithoutEngine(UnstartedState state) {
    return state.service.nearSmall(WovenState.HIT_ID);
  }

  /** The woven method without a near tier, served from Redis. */
  @Benchmark
  public Object remoteHit(WovenState woven) {
    return woven.hit();
  }

  /** A bounded Caffeine cache holding the small value under the woven method's key. */
  @State(Scope.Benchmark)
  public static class CaffeineState {
    final Cache<String, Object> cache = Caffeine.newBuilder().maximumSize(10_000).build();
    long id = WovenState.HIT_ID;

    @Setup(Level.Trial)
    public void setUp() {
      cache.put("rt:nearSmall:" + id, Values.SMALL);
    }
  }

  /**
   * A woven service and no engine (each JMH fork runs one case, and this case starts none): its
   * calls run the method uncached.
   */
  @State(Scope.Benchmark)
  public static class UnstartedState {
    final CachedService service = new CachedService();
  }

  /** The engine, and the near case's entry held locally before the trial starts. */
  @State(Scope.Benchmark)
  public static class NearState {
    private final CachedService service = new CachedService();
    private ReadThroughEngine engine;
    private BenchmarkParams params;
    private long localBefore;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws InterruptedException {
      this.params = params;
      engine = TrialEngine.start(TrialEngine.ownClient());
      engine.invalidateAll("nearSmall");
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (engine.stats("nearSmall").localHits() == 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the near case never hit locally: " + engine.stats("nearSmall"));
        }
        hit();
        Thread.sleep(5);
      }
      localBefore = engine.stats("nearSmall").localHits();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      CacheStats stats = engine.stats("nearSmall");
      long remote = stats.hits() - stats.localHits();
      System.out.println();
      System.out.println(
          "NEAR-STATS localHits="
              + (stats.localHits() - localBefore)
              + " remoteHits="
              + remote
              + " misses="
              + stats.misses());
      TrialEngine.closeAndCheck(engine, "nearSmall", params);
    }

    public Object hit() {
      return service.nearSmall(WovenState.HIT_ID);
    }
  }
}
