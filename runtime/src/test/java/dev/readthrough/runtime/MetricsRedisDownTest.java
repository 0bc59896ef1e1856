package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.testing.RedisProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With Redis down the meters show it: every call counted as a miss that bypassed Redis or failed on
 * it, the breaker gauge open, and the gauge closed again once Redis is back. The server is this
 * class's own, never the shared test Redis.
 */
class MetricsRedisDownTest {

  static final class Service {
    final AtomicInteger calls = new AtomicInteger();

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "m-down")
    public String find(long id) {
      calls.incrementAndGet();
      return "user-" + id;
    }
  }

  RedisProcess server;
  SimpleMeterRegistry registry;
  ReadThroughEngine engine;
  final Service service = new Service();

  @BeforeEach
  void start() {
    server = RedisProcess.start();
    registry = new SimpleMeterRegistry();
    engine =
        ReadThroughEngine.start(
            ReadThroughConfig.builder()
                .redisUri(server.uri())
                .operationTimeout(Duration.ofMillis(500))
                .failureThreshold(2)
                .probeInterval(Duration.ofMillis(100))
                .meterRegistry(registry)
                .build());
  }

  @AfterEach
  void stop() {
    engine.close();
    server.close();
  }

  @Test
  void redisDown_everyCallIsAMiss_failedOrBypassed_andTheBreakerGaugeOpens_thenClosesAgain() {
    service.find(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> count("cache.puts") == 1);
    server.stop();

    for (long id = 2; id <= 7; id++) {
      assertThat(service.find(id)).isEqualTo("user-" + id);
    }

    assertThat(service.calls).as("every call ran its method").hasValue(7);
    CacheStats stats = engine.stats("m-down");
    assertThat(count("cache.gets", "result", "hit")).isZero();
    assertThat(count("cache.gets", "result", "miss")).isEqualTo(7);
    assertThat(count("readthrough.bypassed")).isEqualTo(stats.bypassed()).isPositive();
    assertThat(count("readthrough.errors", "kind", "redis"))
        .isEqualTo(stats.errors() - stats.decodeFailures())
        .isPositive();
    assertThat(count("readthrough.errors", "kind", "decode")).isZero();
    assertThat(count("cache.puts")).as("nothing stored while Redis is down").isEqualTo(1);
    assertThat(breaker("open")).isEqualTo(1);
    assertThat(breaker("closed")).isZero();

    server.restart();
    await().atMost(Duration.ofSeconds(15)).until(() -> breaker("closed") == 1);
    assertThat(breaker("open")).isZero();
    service.find(8);
    await().atMost(Duration.ofSeconds(10)).until(() -> count("cache.puts") == 2);
  }

  private double count(String name, String... tags) {
    return registry.get(name).tag("cache", "m-down").tags(tags).functionCounter().count();
  }

  private double breaker(String state) {
    return registry.get("readthrough.breaker.state").tag("state", state).gauge().value();
  }
}
