package dev.readthrough.bench;

import dev.readthrough.runtime.ReadThroughConfig;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link WovenState} with the meters on: the engine's own client, as {@link WovenState}'s, and a
 * {@link SimpleMeterRegistry} handed to {@code meterRegistry(...)}, so that every hit also records
 * the Redis read timer. The teardown checks that the timer counted the trial's reads: a trial in
 * which nothing was recorded did not measure the metered path.
 */
@State(Scope.Benchmark)
public class MeteredWovenState extends WovenState {

  private SimpleMeterRegistry registry;
  private Timer reads;

  @Override
  ReadThroughConfig.Builder redis() {
    registry = new SimpleMeterRegistry();
    return TrialEngine.ownClient().meterRegistry(registry);
  }

  @Override
  void beforeClose(String cache) {
    reads = registry.get("readthrough.redis.reads").tag("cache", cache).timer();
    double hits =
        registry
            .get("cache.gets")
            .tag("cache", cache)
            .tag("result", "hit")
            .functionCounter()
            .count();
    System.out.println();
    System.out.printf(
        "METERS cache=%s readthrough.redis.reads=%d cache.gets{result=hit}=%.0f%n",
        cache, reads.count(), hits);
    if (reads.count() == 0 || hits == 0) {
      throw new IllegalStateException(
          "INVALID RUN: the meters recorded nothing, so the metered path was not measured");
    }
  }
}
