package dev.readthrough.testing.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.readthrough.testing.TestRedis;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Runs fixture classes through JUnit Jupiter, as a build would, and looks into the shared test
 * Redis for what they left. The fixtures are nested classes marked {@link Fixture}, which run only
 * here: neither the build nor an IDE that runs every class of the package runs them on their own.
 */
final class Kit {

  private static final String RUNNING = "readthrough.testing.kit";

  private Kit() {}

  /** Marks a class that only {@link Kit} runs. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @ExtendWith(OnlyInKit.class)
  @interface Fixture {}

  /** Disables a {@link Fixture} that something other than {@link Kit} runs. */
  static final class OnlyInKit implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(RUNNING).isPresent()
          ? ConditionEvaluationResult.enabled("run by Kit")
          : ConditionEvaluationResult.disabled("a fixture of the extension's tests");
    }
  }

  /** Runs these classes, one after another. */
  static EngineExecutionResults run(Class<?>... classes) {
    return run(Map.of(), classes);
  }

  /** Runs these classes with these JUnit configuration parameters. */
  static EngineExecutionResults run(Map<String, String> parameters, Class<?>... classes) {
    EngineTestKit.Builder kit =
        EngineTestKit.engine("junit-jupiter")
            .configurationParameters(parameters)
            .configurationParameter(RUNNING, "true");
    for (Class<?> type : classes) {
      kit.selectors(selectClass(type));
    }
    return kit.execute();
  }

  /** How many keys of the shared test Redis start with {@code prefix}. */
  static long keysUnder(String prefix) {
    Config config = new Config();
    config.useSingleServer().setAddress(TestRedis.uri()).setConnectionMinimumIdleSize(1);
    RedissonClient client = Redisson.create(config);
    try {
      return client.getKeys().getKeysStreamByPattern(prefix + "*").count();
    } finally {
      client.shutdown();
    }
  }
}
