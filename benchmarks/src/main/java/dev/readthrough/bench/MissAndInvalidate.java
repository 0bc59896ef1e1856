package dev.readthrough.bench;

import dev.readthrough.runtime.ReadThroughConfig;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a miss and an invalidation cost on one thread: a woven miss of a fresh key (GET, the method,
 * the store), and {@code engine.invalidate} of a key (UNLINK). Self-contained, so that the same
 * class measures any version of the runtime side by side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(3)
@Threads(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class MissAndInvalidate {

  private final CachedService service = new CachedService();
  private ReadThroughEngine engine;
  private long next = System.currentTimeMillis() << 20;

  @Setup(Level.Trial)
  public void setUp() {
    engine =
        ReadThroughEngine.start(
            ReadThroughConfig.builder()
                .redisUri(BenchRedis.uri())
                .operationTimeout(Duration.ofMillis(200))
                .build());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println(
        "\nENGINE-STATS case=MissAndInvalidate missSmall=" + engine.stats("missSmall"));
    engine.close();
  }

  /** A miss of a fresh key: the method runs and its result is stored. */
  @Benchmark
  public Object miss() {
    return service.smallMiss(next++);
  }

  /** An invalidation of one key. */
  @Benchmark
  public void invalidate() {
    engine.invalidate("missSmall", next++);
  }
}
