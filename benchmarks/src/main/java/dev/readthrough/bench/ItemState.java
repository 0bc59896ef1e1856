package dev.readthrough.bench;

import dev.readthrough.runtime.CacheStats;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The woven {@link ItemService} with a started engine and all {@value ItemService#COUNT} entries of
 * its cache in Redis, so that every case is a hit.
 */
@State(Scope.Benchmark)
public class ItemState {

  static final String CACHE = "items";

  /** The id the single-key cases read. */
  static final long HIT_ID = 1;

  final ItemService service = new ItemService();
  final List<Long> ids = ids();
  private ReadThroughEngine engine;
  private String benchmark;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws InterruptedException {
    if (!CachedService.isWoven()) {
      throw new IllegalStateException(
          "the benchmarks are not woven: build with the aspectj-maven-plugin");
    }
    benchmark = params.getBenchmark();
    ReadThroughConfig config =
        ReadThroughConfig.builder()
            .redisUri(BenchRedis.uri())
            .keyPrefix("rt")
            .operationTimeout(Duration.ofMillis(200))
            .build();
    engine = ReadThroughEngine.start(config);
    engine.invalidateAll(CACHE);
    // the first call misses every id and stores them asynchronously: wait until a call misses none
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      long before = notHits(engine.stats(CACHE));
      service.findAll(ids);
      if (notHits(engine.stats(CACHE)) == before) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the bulk case never hit every id: " + engine.stats(CACHE));
      }
      Thread.sleep(5);
    }
  }

  private static long notHits(CacheStats stats) {
    return stats.misses() + stats.bypassed() + stats.shared();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    CacheStats stats = engine.stats(CACHE);
    System.out.println();
    System.out.println("# " + benchmark + " " + CACHE + ": " + stats);
    engine.close();
    if (stats.errors() + stats.bypassed() > 0) {
      System.out.println(
          "# WARNING: "
              + benchmark
              + " had errors or bypassed calls: part of"
              + " its operations did not take the path it is named for");
    }
  }

  private static List<Long> ids() {
    List<Long> ids = new ArrayList<>(ItemService.COUNT);
    for (long id = 1; id <= ItemService.COUNT; id++) {
      ids.add(id);
    }
    return List.copyOf(ids);
  }
}
