package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadsInFlightTest extends EngineTest {

  static final class Counted {
    int seenWhileRunning = -1;

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "inflight")
    public String find(long id) {
      seenWhileRunning = redis.engine.loadsInFlight();
      return "value-" + id;
    }
  }

  @Test
  void aMissingCallsMethod_isALoadInFlightWhileItRuns() {
    Counted service = new Counted();

    service.find(1);

    assertThat(service.seenWhileRunning).isEqualTo(1);
  }

  @Test
  void onceNoLoadIsInFlight_theNextCallForTheKeyIsAHit_neverShared() {
    Counted service = new Counted();
    CacheStats before = redis.engine.stats("inflight");

    for (long id = 0; id < 100; id++) {
      service.find(id);
      await()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .atMost(Duration.ofSeconds(10))
          .until(() -> redis.engine.loadsInFlight() == 0);
      service.find(id);
    }

    CacheStats after = redis.engine.stats("inflight");
    assertThat(after.misses() - before.misses()).isEqualTo(100);
    assertThat(after.hits() - before.hits()).isEqualTo(100);
    assertThat(after.shared() - before.shared()).isZero();
  }
}
