package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.readthrough.runtime.Fixtures.Service;
import dev.readthrough.testing.TestRedis;
import dev.readthrough.weaver.CacheInterceptors;
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
}
