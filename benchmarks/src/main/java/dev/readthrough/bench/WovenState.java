package dev.readthrough.bench;

import dev.readthrough.runtime.CacheStats;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import java.time.Duration;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/** The woven {@link CachedService} with a started engine. */
@State(Scope.Benchmark)
public class WovenState {

  /** The id whose entry the hit case reads. */
  static final long HIT_ID = 1;

  private ReadThroughEngine engine;
  private final CachedService service = new CachedService();
  private boolean small;
  private String hitCache;
  private String missCache;
  private String benchmark;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws InterruptedException {
    if (!CachedService.isWoven()) {
      throw new IllegalStateException(
          "CachedService is not woven: build with the aspectj-maven-plugin");
    }
    small = Values.isSmall(params.getParam("value"));
    hitCache = small ? "small" : "large";
    missCache = small ? "missSmall" : "missLarge";
    benchmark = params.getBenchmark();
    ReadThroughConfig config =
        ReadThroughConfig.builder()
            .redisUri(BenchRedis.uri())
            .keyPrefix("rt")
            .operationTimeout(Duration.ofMillis(200))
            .build();
    engine = ReadThroughEngine.start(config);
    engine.invalidateAll(hitCache);
    // the first call misses and stores asynchronously; wait until a call hits
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (engine.stats(hitCache).hits() == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the woven hit case never hit: " + engine.stats(hitCache));
      }
      hit();
      Thread.sleep(5);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    CacheStats hits = engine.stats(hitCache);
    CacheStats misses = engine.stats(missCache);
    System.out.println();
    System.out.println("# " + benchmark + " " + hitCache + ": " + hits);
    System.out.println("# " + benchmark + " " + missCache + ": " + misses);
    engine.close();
    if (hits.errors() + hits.bypassed() + misses.errors() + misses.bypassed() > 0) {
      System.out.println(
          "# WARNING: "
              + benchmark
              + " had errors or bypassed calls: part of"
              + " its operations did not take the path it is named for");
    }
  }

  public Object hit() {
    return small ? service.small(HIT_ID) : service.large(HIT_ID);
  }

  public Object miss(long id) {
    return small ? service.smallMiss(id) : service.largeMiss(id);
  }
}
