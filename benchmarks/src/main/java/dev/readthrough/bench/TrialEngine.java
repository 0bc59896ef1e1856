package dev.readthrough.bench;

import dev.readthrough.runtime.CacheStats;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import java.time.Duration;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The engine of one trial: started in a state's trial set-up, and closed in its trial teardown,
 * where the counters of the one cache the case reads are printed and checked.
 *
 * <p>Only one engine runs in a JVM at a time ({@link ReadThroughEngine#start} throws otherwise).
 * JMH runs one benchmark at a time in a fork and sets up and tears down that benchmark's states
 * around it, so the states that hold an engine never overlap, as long as each starts its engine at
 * {@code Level.Trial} and closes it in its {@code Level.Trial} teardown. They all do, through this
 * class.
 *
 * <p>The teardown prints one line, counted since the engine started (the set-up's own calls
 * included):
 *
 * <pre>
 * ENGINE-STATS case=wovenHit threads=16 class=Redis16Threads value=small cache=small hits=... misses=... shared=... errors=... bypassed=...
 * </pre>
 *
 * A trial in which a Redis operation failed or timed out, or a call was bypassed, did not measure
 * the path its case is named for: the teardown then prints the same fields after {@code INVALID
 * RUN} and throws, so that JMH reports the case as failed instead of recording its score.
 */
final class TrialEngine {

  /** The woven cases' bound on each Redis call. */
  static final Duration OPERATION_TIMEOUT = Duration.ofMillis(200);

  private TrialEngine() {}

  /** The engine's own client, created by the engine from the benchmark's Redis URI. */
  static ReadThroughConfig.Builder ownClient() {
    return ReadThroughConfig.builder().redisUri(BenchRedis.uri());
  }

  /**
   * Starts the engine on {@code redis} with the settings every woven case shares.
   *
   * @throws IllegalStateException if the benchmarks were not woven, or another engine is running
   */
  static ReadThroughEngine start(ReadThroughConfig.Builder redis) {
    if (!CachedService.isWoven()) {
      throw new IllegalStateException(
          "the benchmarks are not woven: build with the aspectj-maven-plugin");
    }
    return ReadThroughEngine.start(
        redis.keyPrefix("rt").operationTimeout(OPERATION_TIMEOUT).build());
  }

  /**
   * Closes the engine, prints its counters for {@code cache}, and fails the trial if they show
   * errors or bypassed calls.
   *
   * @throws IllegalStateException if the trial had errors or bypassed calls
   */
  static void closeAndCheck(ReadThroughEngine engine, String cache, BenchmarkParams params) {
    CacheStats stats = engine.stats(cache);
    engine.close();
    String benchmark = params.getBenchmark();
    String[] parts = benchmark.split("\\.");
    String value = params.getParam("value");
    String fields =
        "case="
            + parts[parts.length - 1]
            + " threads="
            + params.getThreads()
            + " class="
            + parts[parts.length - 2]
            + (value == null ? "" : " value=" + value)
            + " cache="
            + cache
            + " hits="
            + stats.hits()
            + " misses="
            + stats.misses()
            + " shared="
            + stats.shared()
            + " errors="
            + stats.errors()
            + " bypassed="
            + stats.bypassed();
    System.out.println();
    System.out.println("ENGINE-STATS " + fields);
    if (stats.errors() > 0 || stats.bypassed() > 0) {
      System.out.println("INVALID RUN " + fields);
      throw new IllegalStateException(
          "INVALID RUN: "
              + benchmark
              + " had "
              + stats.errors()
              + " errors and "
              + stats.bypassed()
              + " bypassed calls, so part of its calls did not take the path it is named for;"
              + " its score is not a measurement of that path");
    }
  }
}
