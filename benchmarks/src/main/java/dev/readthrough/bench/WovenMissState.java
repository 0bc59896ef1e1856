package dev.readthrough.bench;

import dev.readthrough.runtime.ReadThroughEngine;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The woven {@link CachedService}'s miss methods with a started engine on its own client. The
 * engine lives for one trial (see {@link TrialEngine}).
 */
@State(Scope.Benchmark)
public class WovenMissState {

  private final CachedService service = new CachedService();
  private ReadThroughEngine engine;
  private BenchmarkParams params;
  private boolean small;
  private String cache;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    this.params = params;
    small = Values.isSmall(params.getParam("value"));
    cache = small ? "missSmall" : "missLarge";
    engine = TrialEngine.start(TrialEngine.ownClient());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    TrialEngine.closeAndCheck(engine, cache, params);
  }

  /** A call with an id no call has used: GET (absent), the method, asynchronous SET with TTL. */
  public Object miss(long id) {
    return small ? service.smallMiss(id) : service.largeMiss(id);
  }
}
