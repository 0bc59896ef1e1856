package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.readthrough.runtime.internal.declarations.Weaving;
import dev.readthrough.testing.TestRedis;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A class with cached methods that only javac compiled (as without the aspectj-maven-plugin, or
 * without readthrough-weaver in its aspect libraries) is reported, never silently run uncached. The
 * fixture is compiled in the test with javac, so ajc never sees it.
 */
class UnwovenClassTest {

  private static final String SOURCE =
      """
      package app;

      import dev.readthrough.Invalidate;
      import dev.readthrough.ReadThrough;

      public class UnwovenService {
        @ReadThrough(cache = "unwoven", key = "id", ttlSeconds = 60)
        public String find(long id) {
          return "value-" + id;
        }

        @Invalidate(cache = "unwoven", key = "id")
        public void forget(long id) {}

        public String plain(long id) {
          return "plain-" + id;
        }
      }
      """;

  private static final String ENGINE_LOGGER = ReadThroughEngine.class.getName();

  private static Class<?> unwoven;
  private static RedisFixture redis;

  @BeforeAll
  static void compileWithJavacOnly_andStartAnEngine() throws ClassNotFoundException {
    unwoven =
        InMemoryJavac.classes(Map.of("UnwovenService", SOURCE)).loadClass("app.UnwovenService");
    redis = RedisFixture.start();
  }

  @AfterAll
  static void stopEngine() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void validate_unwovenClass_failsNamingEachMethodAndThePluginBlock() {
    CacheDeclarationException thrown =
        catchThrowableOfType(CacheDeclarationException.class, () -> redis.engine.validate(unwoven));

    assertThat(thrown).isNotNull();
    assertThat(thrown.problems())
        .containsExactly(
            "@ReadThrough on UnwovenService.find(long): the method was not woven, so every call"
                + " runs uncached; "
                + Weaving.HOW_TO_WEAVE,
            "@Invalidate on UnwovenService.forget(long): the method was not woven, so every call"
                + " runs uncached; "
                + Weaving.HOW_TO_WEAVE);
    assertThat(Weaving.HOW_TO_WEAVE).contains("aspectj-maven-plugin").contains("<aspectLibraries>");
  }

  @Test
  void validate_wovenClass_passes() {
    redis.engine.validate(Fixtures.Service.class);

    assertThat(Weaving.unwoven(Fixtures.Service.class)).isEmpty();
  }

  @Test
  void guiceModule_logsOneErrorPerUnwovenBoundClass_andNoneForWovenOnes() {
    redis.close();
    ReadThroughConfig config = ReadThroughConfig.builder().redisUri(TestRedis.uri()).build();
    Object instance;
    try (Logs logs = Logs.of(ENGINE_LOGGER)) {
      Injector injector =
          Guice.createInjector(
              new ReadThroughModule(config),
              new AbstractModule() {
                @Override
                protected void configure() {
                  bind(unwoven);
                  bind(Fixtures.Service.class);
                }
              });
      try {
        instance = injector.getInstance(unwoven);
        assertThat(logs.at(Level.ERROR))
            .containsExactly(
                "app.UnwovenService was not woven: its cached methods"
                    + " UnwovenService.find(long), UnwovenService.forget(long) run uncached; "
                    + Weaving.HOW_TO_WEAVE);
      } finally {
        injector.getInstance(ReadThroughEngine.class).close();
      }
    } finally {
      redis = RedisFixture.start();
    }
    assertThat(instance).isNotNull();
  }
}
