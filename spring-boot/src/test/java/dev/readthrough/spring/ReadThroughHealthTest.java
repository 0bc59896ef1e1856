package dev.readthrough.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.RedisProcess;
import dev.readthrough.testing.TestRedis;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code readthrough} health indicator: UP with Redis's state in its details, never DOWN. */
class ReadThroughHealthTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ReadThroughAutoConfiguration.class,
                  ReadThroughHealthAutoConfiguration.class,
                  HealthContributorAutoConfiguration.class,
                  HealthContributorRegistryAutoConfiguration.class))
          .withUserConfiguration(ProductSource.class, ProductCatalog.class)
          .withPropertyValues("readthrough.key-prefix=boot-health");

  @Test
  void redisReachable_upWithItsDetails_underTheNameReadthrough() {
    runner
        .withPropertyValues("readthrough.redis-uri=" + TestRedis.uri())
        .run(
            context -> {
              context.getBean(ProductCatalog.class).find(21);

              Health health = readthrough(context);

              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails())
                  .containsEntry("redis", "reachable")
                  .containsEntry("breaker", "closed")
                  .containsEntry("keyPrefix", "boot-health")
                  .containsKey("caches");
              assertThat((Map<String, ?>) health.getDetails().get("caches"))
                  .containsKey("products");
              context.getBean(ReadThroughEngine.class).invalidate("products", 21L);
            });
  }

  @Test
  void redisStops_stillUp_withRedisUnreachable_andCallsStillAnswered() {
    RedisProcess own = RedisProcess.start();
    try {
      runner
          .withPropertyValues("readthrough.redis-uri=" + own.uri())
          .run(
              context -> {
                ProductCatalog catalog = context.getBean(ProductCatalog.class);
                assertThat(readthrough(context).getDetails()).containsEntry("redis", "reachable");

                own.stop();

                await()
                    .atMost(Duration.ofSeconds(20))
                    .until(
                        () -> {
                          assertThat(catalog.describe(22)).isEqualTo("product-22");
                          return "unreachable"
                              .equals(readthrough(context).getDetails().get("redis"));
                        });
                Health health = readthrough(context);
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("breaker", "open");
              });
    } finally {
      own.close();
    }
  }

  @Test
  void nothingListensAtStart_stillUp_withRedisUnreachable() {
    RedisProcess own = RedisProcess.start();
    String nobody = own.uri();
    own.close();
    runner
        .withPropertyValues("readthrough.redis-uri=" + nobody)
        .run(
            context -> {
              Health health = readthrough(context);
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails())
                  .containsEntry("redis", "unreachable")
                  .containsEntry("breaker", "open");
            });
  }

  @Test
  void healthIndicatorDisabled_orNoEngine_noIndicator() {
    runner
        .withPropertyValues(
            "readthrough.redis-uri=" + TestRedis.uri(),
            "management.health.readthrough.enabled=false")
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean("readthroughHealthIndicator"));
    runner
        .withPropertyValues("readthrough.enabled=false")
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean("readthroughHealthIndicator"));
  }

  private static Health readthrough(AssertableApplicationContext context) {
    HealthContributorRegistry registry = context.getBean(HealthContributorRegistry.class);
    assertThat(registry.getContributor("readthrough")).isInstanceOf(HealthIndicator.class);
    Health health = ((HealthIndicator) registry.getContributor("readthrough")).health();
    assertThat(health).isNotNull();
    return health;
  }
}
