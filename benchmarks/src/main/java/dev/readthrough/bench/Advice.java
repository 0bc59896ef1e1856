package dev.readthrough.bench;

import dev.readthrough.weaver.CacheInterceptors;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The advice alone: the woven method with no engine started, so the aspect just proceeds; against
 * the same body unwoven. No Redis.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Threads(1)
public class Advice {

  private final CachedService service = new CachedService();
  private long id = WovenState.HIT_ID;

  @Setup(Level.Trial)
  public void setUp() {
    if (!CachedService.isWoven()) {
      throw new IllegalStateException(
          "CachedService is not woven: build with the aspectj-maven-plugin");
    }
    if (CacheInterceptors.isInstalled()) {
      throw new IllegalStateException("an engine is installed; the advice case needs none");
    }
  }

  /** The unwoven method: the "method time". */
  @Benchmark
  public Item plainMethod() {
    return service.plainSmall(id);
  }

  /** The woven method, no engine: the advice's own cost on top of the method. */
  @Benchmark
  public Item adviceOnly() {
    return service.small(id);
  }
}
