package dev.readthrough.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A whole Spring Boot application, its auto-configurations found through the imports file as an
 * application on this module's class path finds them.
 */
class SpringApplicationTest {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({ProductSource.class, ProductCatalog.class})
  static class App {}

  @Test
  void application_getsAStartedEngine_andTheHealthIndicator_fromTheImportsFile() {
    ReadThroughEngine engine;
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties(
                "readthrough.redis-uri=" + TestRedis.uri(), "readthrough.key-prefix=boot-app")
            .run()) {
      engine = context.getBean(ReadThroughEngine.class);
      assertThat(engine.isRedisAvailable()).isTrue();
      assertThat(context.getBeansOfType(HealthIndicator.class))
          .containsKey("readthroughHealthIndicator");

      ProductCatalog catalog = context.getBean(ProductCatalog.class);
      catalog.describe(31);
      ReadThroughAutoConfigurationTest.cachedAfterFirstCall(engine, () -> catalog.describe(31));
      assertThat(context.getBean(ProductSource.class).loads).hasValue(1);
      engine.invalidate("products", 31L);
    }
    assertThat(engine.isRedisAvailable()).isFalse();
  }
}
