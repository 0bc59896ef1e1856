package dev.readthrough.bench;

import dev.readthrough.runtime.CacheStats;
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
 * its cache in Redis, so that every case is a hit. The engine lives for one trial (see {@link
 * TrialEngine}).
 */
@State(Scope.Benchmark)
public class ItemState {

  static final String CACHE = "items";

  /** The id the single-key cases read. */
  static final long HIT_ID = 1;

  final ItemService service = new ItemService();
  final List<Long> ids = ids();
  private ReadThroughEngine engine;
  private BenchmarkParams params;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws InterruptedException {
    this.params = params;
    engine = TrialEngine.start(TrialEngine.ownClient());
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
    // the single-key and async methods read the same entries: one call of each must hit
    CacheStats before = engine.stats(CACHE);
    Item sync = service.find(HIT_ID);
    Item async = service.findAsync(HIT_ID).join();
    CacheStats after = engine.stats(CACHE);
    if (after.hits() != before.hits() + 2 || notHits(after) != notHits(before)) {
      throw new IllegalStateException("find and findAsync did not both hit: " + after);
    }
    if (!sync.equals(async) || !sync.equals(Values.item(HIT_ID))) {
      throw new IllegalStateException("find and findAsync read different values");
    }
  }

  private static long notHits(CacheStats stats) {
    return stats.misses() + stats.bypassed() + stats.shared();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    TrialEngine.closeAndCheck(engine, CACHE, params);
  }

  static List<Long> ids() {
    List<Long> ids = new ArrayList<>(ItemService.COUNT);
    for (long id = 1; id <= ItemService.COUNT; id++) {
      ids.add(id);
    }
    return List.copyOf(ids);
  }
}
