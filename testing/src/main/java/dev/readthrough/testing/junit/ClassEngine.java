package dev.readthrough.testing.junit;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.TestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** One test class's engine, from its start to its close, and the {@link TestCaches} over it. */
final class ClassEngine {

  private final Class<?> testClass;
  private final ReadThroughEngine engine;
  private final TestCaches caches;
  private final boolean clearBeforeEach;

  private ClassEngine(Class<?> testClass, ReadThroughEngine engine, boolean clearBeforeEach) {
    this.testClass = testClass;
    this.engine = engine;
    this.caches = new TestCaches(engine);
    this.clearBeforeEach = clearBeforeEach;
  }

  /**
   * Starts the engine of {@code testClass} and installs it into the woven aspect.
   *
   * @throws ExtensionConfigurationException if a {@link ConfigureEngine} method is wrong, another
   *     engine is running in this JVM, or the engine cannot reach Redis
   */
  static ClassEngine start(Class<?> testClass, boolean clearBeforeEach) {
    ReadThroughConfig config;
    try {
      config = EngineSettings.configFor(testClass);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new ExtensionConfigurationException(
          "@ReadThroughTest " + testClass.getName() + ": " + e.getMessage(), e);
    }
    ReadThroughEngine engine;
    try {
      engine = ReadThroughEngine.start(config);
    } catch (IllegalStateException e) {
      throw new ExtensionConfigurationException(
          "@ReadThroughTest "
              + testClass.getName()
              + ": "
              + e.getMessage()
              + ". One engine serves a JVM at a time: a test that starts an engine itself closes"
              + " it before it ends, and under parallel execution takes @ResourceLock(\""
              + ReadThroughExtension.ENGINE_LOCK
              + "\")",
          e);
    }
    if (!engine.isRedisAvailable()) {
      engine.close();
      throw new ExtensionConfigurationException(
          "@ReadThroughTest "
              + testClass.getName()
              + ": the engine cannot reach Redis ("
              + engine.config()
              + (Objects.equals(config.redisUri(), TestRedis.uri())
                  ? ", the shared test Redis from " + TestRedis.source()
                  : "")
              + "); its log says why");
    }
    return new ClassEngine(testClass, engine, clearBeforeEach);
  }

  /** The class whose engine this is: the outermost one with the extension. */
  Class<?> testClass() {
    return testClass;
  }

  ReadThroughEngine engine() {
    return engine;
  }

  TestCaches caches() {
    return caches;
  }

  /** Readies the caches for the next test: cleared (if so set) and their counters at zero. */
  void beginTest() {
    if (clearBeforeEach) {
      clearAll();
    }
    caches.zero();
  }

  /**
   * Removes every entry the engine stored, then closes the look-up client and the engine; the first
   * failure is thrown once all three were tried.
   */
  void close() {
    List<RuntimeException> failures = new ArrayList<>();
    try {
      clearAll();
    } catch (RuntimeException e) {
      failures.add(e);
    }
    try {
      caches.close();
    } catch (RuntimeException e) {
      failures.add(e);
    }
    try {
      engine.close();
    } catch (RuntimeException e) {
      failures.add(e);
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  /** Clears every cache the engine has counted calls of: all that it can have stored. */
  private void clearAll() {
    for (String cache : engine.stats().keySet()) {
      engine.invalidateAll(cache);
    }
  }
}
