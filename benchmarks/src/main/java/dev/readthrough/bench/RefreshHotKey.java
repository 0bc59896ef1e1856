package dev.readthrough.bench;

import dev.readthrough.runtime.CacheStats;
import dev.readthrough.runtime.ReadThroughEngine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One hot key read in a closed loop for three times its TTL (2 s): with refresh-ahead at 1 s
 * ({@code refreshHit}), and without it ({@code expiringHit}), side by side. Each trial's warm-up
 * and measurement together last 8 s with these defaults (four TTLs) and 10 s with the options of
 * {@code run-issue11.sh} (five); the trial's first call, in setup, is its only expected miss. The
 * teardown prints the engine's counters for the trial (REFRESH-STATS): misses after setup,
 * refreshes and failed refreshes, and fails the trial on any Redis error or bypass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Threads(1)
public class RefreshHotKey {

  /** The refreshing method's hit: never a miss once its entry exists. */
  @Benchmark
  public Object refreshHit(RefreshState state) {
    return state.service.refreshSmall(1);
  }

  /** The same key and TTL without refresh-ahead: a miss, and a 2 ms load, every 2 s. */
  @Benchmark
  public Object expiringHit(ExpireState state) {
    return state.service.expireSmall(1);
  }

  /** An engine and the cache's counters at the trial's start. */
  public abstract static class Trial {
    final CachedService service = new CachedService();
    ReadThroughEngine engine;
    BenchmarkParams params;
    CacheStats before;

    abstract String cache();

    abstract void first();

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
      this.params = params;
      engine = TrialEngine.start(TrialEngine.ownClient());
      engine.invalidateAll(cache());
      first(); // the trial's one expected miss
      before = engine.stats(cache());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      CacheStats stats = engine.stats(cache());
      System.out.println();
      System.out.println(
          "REFRESH-STATS cache="
              + cache()
              + " hits="
              + (stats.hits() - before.hits())
              + " missesAfterSetup="
              + (stats.misses() - before.misses())
              + " shared="
              + (stats.shared() - before.shared())
              + " refreshes="
              + (stats.refreshes() - before.refreshes())
              + " refreshFailures="
              + (stats.refreshFailures() - before.refreshFailures()));
      TrialEngine.closeAndCheck(engine, cache(), params);
    }
  }

  @State(Scope.Benchmark)
  public static class RefreshState extends Trial {
    @Override
    String cache() {
      return "refreshSmall";
    }

    @Override
    void first() {
      service.refreshSmall(1);
    }
  }

  @State(Scope.Benchmark)
  public static class ExpireState extends Trial {
    @Override
    String cache() {
      return "expireSmall";
    }

    @Override
    void first() {
      service.expireSmall(1);
    }
  }
}
