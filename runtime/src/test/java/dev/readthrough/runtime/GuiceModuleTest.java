package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.readthrough.runtime.Fixtures.Service;
import dev.readthrough.testing.TestRedis;
import dev.readthrough.weaver.CacheInterceptors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GuiceModuleTest {

  @Test
  void module_startsOneEngineWithTheInjector_andCachesInjectedServices() {
    ReadThroughConfig config =
        ReadThroughConfig.builder().redisUri(TestRedis.uri()).keyPrefix("guice").build();
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
      assertThat(CacheInterceptors.isInstalled()).isTrue();
      assertThat(injector.getInstance(ReadThroughEngine.class)).isSameAs(engine);
      engine.invalidate("users", 77L);
      Service service = injector.getInstance(Service.class);

      service.find(77);
      await().atMost(Duration.ofSeconds(10)).until(() -> engine.stats("users").writes() == 1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                service.find(77);
                return engine.stats("users").hits() >= 1;
              });

      assertThat(service.calls).hasValue(1);
    } finally {
      engine.invalidate("users", 77L);
      engine.close();
    }
    assertThat(CacheInterceptors.isInstalled()).isFalse();
  }

  @Test
  void aBoundMeterRegistry_receivesTheEnginesMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    cachedCallWith(
        registry,
        new AbstractModule() {
          @Override
          protected void configure() {
            bind(MeterRegistry.class).toInstance(registry);
          }
        });
  }

  @Test
  void theOneBindingOfAMeterRegistrySubtype_receivesTheEnginesMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    cachedCallWith(
        registry,
        new AbstractModule() {
          @Override
          protected void configure() {
            bind(SimpleMeterRegistry.class).toInstance(registry);
          }
        });
  }

  @Test
  void twoRegistryBindings_failNamingBoth() {
    ReadThroughConfig config = ReadThroughConfig.builder().redisUri(TestRedis.uri()).build();
    AbstractModule twoRegistries =
        new AbstractModule() {
          @Override
          protected void configure() {
            bind(SimpleMeterRegistry.class).toInstance(new SimpleMeterRegistry());
            bind(CompositeMeterRegistry.class).toInstance(new CompositeMeterRegistry());
          }
        };

    assertThatThrownBy(() -> Guice.createInjector(new ReadThroughModule(config), twoRegistries))
        .hasMessageContaining("ReadThroughModule: the injector binds several meter registries")
        .hasMessageContaining("SimpleMeterRegistry")
        .hasMessageContaining("CompositeMeterRegistry")
        .hasMessageContaining("bind the one for Readthrough to MeterRegistry");
    assertThat(CacheInterceptors.isInstalled()).isFalse();
  }

  private static void cachedCallWith(SimpleMeterRegistry registry, AbstractModule meters) {
    ReadThroughConfig config =
        ReadThroughConfig.builder().redisUri(TestRedis.uri()).keyPrefix("guice-meters").build();
    Injector injector =
        Guice.createInjector(
            new ReadThroughModule(config),
            meters,
            new AbstractModule() {
              @Override
              protected void configure() {
                bind(Service.class);
              }
            });
    ReadThroughEngine engine = injector.getInstance(ReadThroughEngine.class);
    try {
      engine.invalidate("users", 78L);
      injector.getInstance(Service.class).find(78);

      assertThat(
              registry
                  .get("cache.gets")
                  .tag("cache", "users")
                  .tag("result", "miss")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(registry.find("readthrough.breaker.state").gauges()).hasSize(2);
    } finally {
      engine.invalidate("users", 78L);
      engine.close();
    }
    assertThat(registry.getMeters()).as("removed when the engine closes").isEmpty();
  }
}
