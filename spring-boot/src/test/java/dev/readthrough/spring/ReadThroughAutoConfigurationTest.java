package dev.readthrough.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.TestRedis;
import dev.readthrough.weaver.CacheInterceptors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The auto-configuration in an application context against the shared test Redis: a woven Spring
 * service is cached, each property reaches the engine, and the engine lives and dies with the
 * context.
 */
class ReadThroughAutoConfigurationTest {

  /** A client of the test's own, to look at Redis from outside the engine. */
  private static RedissonClient redis;

  private final String prefix = "boot-" + UUID.randomUUID().toString().substring(0, 8);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ReadThroughAutoConfiguration.class))
          .withUserConfiguration(ProductSource.class, ProductCatalog.class);

  @BeforeAll
  static void connect() {
    Config config = new Config();
    config.useSingleServer().setAddress(TestRedis.uri());
    redis = Redisson.create(config);
  }

  @AfterAll
  static void disconnect() {
    redis.shutdown();
  }

  @Test
  void wovenServiceBean_callsThroughThis_areCached() {
    runner
        .withPropertyValues(
            "readthrough.redis-uri=" + TestRedis.uri(), "readthrough.key-prefix=" + prefix)
        .run(
            context -> {
              ProductCatalog catalog = context.getBean(ProductCatalog.class);
              ReadThroughEngine engine = context.getBean(ReadThroughEngine.class);

              assertThat(catalog.describe(7)).isEqualTo("product-7");
              cachedAfterFirstCall(engine, () -> catalog.describe(7));

              assertThat(context.getBean(ProductSource.class).loads).hasValue(1);
              engine.invalidate("products", 7L);
            });
  }

  @Test
  void keyPrefix_isTheFirstPartOfTheRedisKey() {
    runner
        .withPropertyValues(
            "readthrough.redis-uri=" + TestRedis.uri(), "readthrough.key-prefix=" + prefix)
        .run(
            context -> {
              ReadThroughEngine engine = context.getBean(ReadThroughEngine.class);
              context.getBean(ProductCatalog.class).find(11);
              await().atMost(Duration.ofSeconds(10)).until(() -> exists(prefix + ":products:11"));

              assertThat(engine.config().keyPrefix()).isEqualTo(prefix);
              engine.invalidate("products", 11L);
            });
  }

  @Test
  void operationTimeout_reachesTheEngine_andUnsetPropertiesKeepTheEnginesDefaults() {
    runner
        .withPropertyValues(
            "readthrough.redis-uri=" + TestRedis.uri(), "readthrough.operation-timeout=750ms")
        .run(
            context -> {
              ReadThroughEngine engine = context.getBean(ReadThroughEngine.class);
              assertThat(engine.config().operationTimeout()).isEqualTo(Duration.ofMillis(750));
              assertThat(engine.config().keyPrefix()).isEqualTo("rt");
              assertThat(engine.config().redisUri()).isEqualTo(TestRedis.uri());
            });
  }

  @Test
  void noConnectionProperty_usesTheApplicationsRedissonClient_andLeavesItOpen() {
    ConfigurableApplicationContext[] closed = new ConfigurableApplicationContext[1];
    runner
        .withBean(RedissonClient.class, () -> redis)
        .withPropertyValues("readthrough.key-prefix=" + prefix)
        .run(
            context -> {
              ReadThroughEngine engine = context.getBean(ReadThroughEngine.class);
              assertThat(engine.config().redisson()).isSameAs(redis);
              assertThat(engine.isRedisAvailable()).isTrue();

              context.getBean(ProductCatalog.class).find(12);
              await().atMost(Duration.ofSeconds(10)).until(() -> exists(prefix + ":products:12"));
              closed[0] = context;
            });

    assertThat(closed[0].isActive()).isFalse();
    assertThat(redis.isShutdown()).isFalse();
    assertThat(exists(prefix + ":products:12")).isTrue();
    redis.getBucket(prefix + ":products:12", ByteArrayCodec.INSTANCE).delete();
  }

  @Test
  void meterRegistryBean_getsTheEnginesMeters_untilTheContextCloses() {
    MeterRegistry registry = new SimpleMeterRegistry();
    runner
        .withBean(MeterRegistry.class, () -> registry)
        .withPropertyValues(
            "readthrough.redis-uri=" + TestRedis.uri(), "readthrough.key-prefix=" + prefix)
        .run(
            context -> {
              context.getBean(ProductCatalog.class).find(13);

              assertThat(
                      registry
                          .find("cache.gets")
                          .tag("cache", "products")
                          .tag("result", "miss")
                          .functionCounter())
                  .isNotNull()
                  .satisfies(counter -> assertThat(counter.count()).isEqualTo(1.0));
              context.getBean(ReadThroughEngine.class).invalidate("products", 13L);
            });

    assertThat(registry.find("cache.gets").functionCounters()).isEmpty();
  }

  @Test
  void customizerBean_setsWhatThePropertiesDoNotCover() {
    runner
        .withBean(ReadThroughConfigCustomizer.class, () -> builder -> builder.ttlJitter(0.25))
        .withPropertyValues("readthrough.redis-uri=" + TestRedis.uri())
        .run(
            context ->
                assertThat(context.getBean(ReadThroughEngine.class).config().ttlJitter())
                    .isEqualTo(0.25));
  }

  @Test
  void engine_isClosedWithTheContext_andCallsRunUncachedAfterwards() {
    ReadThroughEngine[] engine = new ReadThroughEngine[1];
    ProductCatalog[] catalog = new ProductCatalog[1];
    ProductSource[] source = new ProductSource[1];
    runner
        .withPropertyValues(
            "readthrough.redis-uri=" + TestRedis.uri(), "readthrough.key-prefix=" + prefix)
        .run(
            context -> {
              engine[0] = context.getBean(ReadThroughEngine.class);
              catalog[0] = context.getBean(ProductCatalog.class);
              source[0] = context.getBean(ProductSource.class);
              assertThat(CacheInterceptors.isInstalled()).isTrue();
              catalog[0].find(14);
              cachedAfterFirstCall(engine[0], () -> catalog[0].find(14));
              assertThat(source[0].loads).hasValue(1);
            });

    assertThat(engine[0].toString()).endsWith(", closed}");
    assertThat(engine[0].isRedisAvailable()).isFalse();
    assertThat(CacheInterceptors.isInstalled()).isFalse();
    catalog[0].find(14);
    catalog[0].find(14);
    assertThat(source[0].loads).hasValue(3);
    redis.getBucket(prefix + ":products:14", ByteArrayCodec.INSTANCE).delete();
  }

  @Test
  void enabledFalse_definesNoEngine_andCallsRunUncached() {
    runner
        .withPropertyValues("readthrough.enabled=false", "readthrough.redis-uri=" + TestRedis.uri())
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(ReadThroughEngine.class);
              assertThat(CacheInterceptors.isInstalled()).isFalse();
              ProductCatalog catalog = context.getBean(ProductCatalog.class);

              catalog.describe(15);
              catalog.describe(15);

              assertThat(context.getBean(ProductSource.class).loads).hasValue(2);
            });
  }

  @Test
  void twoConnectionProperties_failTheStart_namingBoth() {
    runner
        .withPropertyValues(
            "readthrough.redis-uri=" + TestRedis.uri(),
            "readthrough.cluster-nodes=redis://127.0.0.1:7000,redis://127.0.0.1:7001")
        .run(
            context ->
                assertThat(failure(context))
                    .contains("readthrough.redis-uri")
                    .contains("readthrough.cluster-nodes"));
  }

  @Test
  void noConnectionPropertyAndNoClient_failsTheStart_namingTheProperties() {
    runner.run(
        context ->
            assertThat(failure(context))
                .contains("Readthrough has no Redis to use")
                .contains("readthrough.redis-uri")
                .contains("readthrough.cluster-nodes")
                .contains("readthrough.sentinel-master")
                .contains("readthrough.redisson-yaml")
                .contains("RedissonClient bean")
                .contains("readthrough.enabled=false"));
  }

  @Test
  void rejectedKeyPrefix_failsTheStart_namingTheProperty() {
    runner
        .withPropertyValues(
            "readthrough.redis-uri=" + TestRedis.uri(), "readthrough.key-prefix=a:b")
        .run(
            context ->
                assertThat(failure(context))
                    .contains("readthrough.key-prefix")
                    .contains("'a:b'")
                    .contains("keyPrefix must be letters, digits"));
  }

  @Test
  void rejectedOperationTimeout_failsTheStart_namingTheProperty() {
    runner
        .withPropertyValues(
            "readthrough.redis-uri=" + TestRedis.uri(), "readthrough.operation-timeout=0s")
        .run(
            context ->
                assertThat(failure(context))
                    .contains("readthrough.operation-timeout")
                    .contains("PT0S"));
  }

  @Test
  void rejectedRedisUri_failsTheStart_namingThePropertyAndHidingThePassword() {
    runner
        .withPropertyValues("readthrough.redis-uri=http://user:s3cret@127.0.0.1:6379")
        .run(
            context ->
                assertThat(failure(context))
                    .contains("readthrough.redis-uri")
                    .doesNotContain("s3cret"));
  }

  @Test
  void invalidRedissonYaml_failsTheStart_namingTheProperty(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(dir.resolve("redisson.yaml"), "singleServerConfig:\n  adress: x\n");
    runner
        .withPropertyValues("readthrough.redisson-yaml=" + file)
        .run(
            context ->
                assertThat(failure(context))
                    .contains("readthrough.redisson-yaml")
                    .contains("unknown property singleServerConfig.adress"));
  }

  /** Waits until the value of the first call is stored, then until a call is answered by Redis. */
  static void cachedAfterFirstCall(ReadThroughEngine engine, Runnable call) {
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.stats("products").writes() == 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              call.run();
              return engine.stats("products").hits() >= 1;
            });
  }

  /** The start failure's messages, from the outermost exception to its root cause. */
  static String failure(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    StringBuilder messages = new StringBuilder();
    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  private static boolean exists(String key) {
    return redis.getBucket(key, ByteArrayCodec.INSTANCE).isExists();
  }
}
