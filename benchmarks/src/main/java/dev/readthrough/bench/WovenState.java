package dev.readthrough.bench;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import java.time.Duration;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The woven {@link CachedService} with a started engine on its own Redisson client, created from
 * the Redis URI with the engine's settings, and the hit entry in Redis. The engine lives for one
 * trial (see {@link TrialEngine}).
 */
@State(Scope.Benchmark)
public class WovenState {

  /** The id whose entry the hit case reads. */
  static final long HIT_ID = 1;

  private final CachedService service = new CachedService();
  private ReadThroughEngine engine;
  private BenchmarkParams params;
  private boolean small;
  private String cache;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws InterruptedException {
    this.params = params;
    small = Values.isSmall(params.getParam("value"));
    cache = small ? "small" : "large";
    engine = TrialEngine.start(redis());
    engine.invalidateAll(cache);
    // the first call misses and stores asynchronously; wait until a call hits
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (engine.stats(cache).hits() == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the woven hit case never hit: " + engine.stats(cache));
      }
      hit();
      Thread.sleep(5);
    }
  }

  /** Where the engine's Redis comes from: here the engine's own client. */
  ReadThroughConfig.Builder redis() {
    return TrialEngine.ownClient();
  }

  /** Looks at what the trial left, before the engine closes; {@code cache} is the one it read. */
  void beforeClose(String cache) {}

  /** Releases what {@link #redis} created, once the engine is closed. */
  void releaseRedis() {}

  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      beforeClose(cache);
      TrialEngine.closeAndCheck(engine, cache, params);
    } finally {
      releaseRedis();
    }
  }

  public Object hit() {
    return small ? service.small(HIT_ID) : service.large(HIT_ID);
  }
}
