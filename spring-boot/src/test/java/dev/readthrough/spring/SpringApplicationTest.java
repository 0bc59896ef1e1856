package dev.readthrough.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.TestRedis;
import dev.readthrough.weaver.CacheInterceptors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
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

  private static ConfigurableApplicationContext run(String... properties) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .properties(properties)
        .run();
  }

  @Test
  void application_getsAStartedEngine_andTheHealthIndicator_fromTheImportsFile() {
    ReadThroughEngine engine;
    try (ConfigurableApplicationContext context =
        run("readthrough.redis-uri=" + TestRedis.uri(), "readthrough.key-prefix=boot-app")) {
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

  @Test
  void lazyInitialization_stillStartsTheEngineWithTheContext() {
    try (ConfigurableApplicationContext context =
        run("readthrough.redis-uri=" + TestRedis.uri(), "spring.main.lazy-initialization=true")) {
      assertThat(CacheInterceptors.isInstalled()).isTrue();
      assertThat(context.getBean(ReadThroughEngine.class).isRedisAvailable()).isTrue();
    }
    assertThat(CacheInterceptors.isInstalled()).isFalse();
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void rejectedProperty_failureAnalysisNamesIt(CapturedOutput output) {
    assertThatThrownBy(
            () -> run("readthrough.redis-uri=" + TestRedis.uri(), "readthrough.key-prefix=a:b"))
        .hasRootCauseMessage(
            "Property readthrough.key-prefix with value 'a:b' is invalid: keyPrefix must be"
                + " letters, digits and . _ - / # @ $ only (no ':', spaces or * ? [ ]): \"a:b\"");

    assertThat(output.toString())
        .contains("APPLICATION FAILED TO START")
        .contains("readthrough.key-prefix");
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void twoConnectionProperties_failureAnalysisNamesBoth(CapturedOutput output) {
    assertThatThrownBy(
        () ->
            run(
                "readthrough.redis-uri=" + TestRedis.uri(),
                "readthrough.redisson-yaml=" + Path.of("absent.yaml").toAbsolutePath()));

    assertThat(output.toString())
        .contains("APPLICATION FAILED TO START")
        .contains("readthrough.redis-uri")
        .contains("readthrough.redisson-yaml");
  }
}
