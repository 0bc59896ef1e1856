package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.readthrough.ReadThrough;
import dev.readthrough.testing.TestRedis;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency: with none of its jars on the class path (the runtime's
 * {@code without-micrometer} test execution), the engine starts, caches and counts, and the Guice
 * module starts it. Nothing here names a Micrometer type.
 */
class WithoutMicrometerTest {

  static final class Service {
    final AtomicInteger calls = new AtomicInteger();

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "no-micrometer")
    public String find(long id) {
      calls.incrementAndGet();
      return "user-" + id;
    }
  }

  @Test
  void micrometerIsNotOnTheClassPath() {
    assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void theGuiceModule_startsAnEngineThatCachesAndCounts() {
    ReadThroughConfig config =
        ReadThroughConfig.builder().redisUri(TestRedis.uri()).keyPrefix("no-micrometer").build();
    Injector injector =
        Guice.createInjector(
            new ReadThroughModule(config),
            new AbstractModule() {
              @Override
              protected void configure() {
                bind(Service.class);
              }
            });
    ReadThroughEngine engine = injector.getInstance(ReadThroughEngine.class);
    try {
      engine.invalidate("no-micrometer", 5L);
      Service service = injector.getInstance(Service.class);

      service.find(5);
      await().atMost(Duration.ofSeconds(10)).until(() -> engine.loadsInFlight() == 0);
      service.find(5);

      assertThat(service.calls).hasValue(1);
      assertThat(engine.stats("no-micrometer").misses()).isEqualTo(1);
      assertThat(engine.stats("no-micrometer").hits()).isEqualTo(1);
      assertThat(engine.stats("no-micrometer").writes()).isEqualTo(1);
    } finally {
      engine.invalidate("no-micrometer", 5L);
      engine.close();
    }
  }
}
