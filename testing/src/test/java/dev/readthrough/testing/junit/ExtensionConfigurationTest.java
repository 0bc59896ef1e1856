package dev.readthrough.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.TestRedis;
import dev.readthrough.weaver.CacheInterceptors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.hierarchical.ExclusiveResource;
import org.junit.platform.engine.support.hierarchical.Node;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/** How a class changes its engine's settings, and how a class whose engine cannot run fails. */
class ExtensionConfigurationTest {

  static final List<ReadThroughConfig> SEEN = new CopyOnWriteArrayList<>();

  @BeforeEach
  void forget() {
    SEEN.clear();
  }

  static class Base {
    @ConfigureEngine
    static void base(ReadThroughConfig.Builder config) {
      config.operationTimeout(Duration.ofMillis(1500)).maxValueBytes(4096);
    }
  }

  @Kit.Fixture
  @ReadThroughTest
  static class Configured extends Base {
    @ConfigureEngine
    static void mine(ReadThroughConfig.Builder config) {
      config.operationTimeout(Duration.ofMillis(1234));
    }

    @Test
    void test(ReadThroughEngine engine) {
      SEEN.add(engine.config());
    }
  }

  @Test
  void configureEngine_runsTheSuperclassesMethodsFirst_overTheDefaults() {
    Kit.run(Configured.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));

    ReadThroughConfig config = SEEN.get(0);
    assertThat(config.operationTimeout()).isEqualTo(Duration.ofMillis(1234));
    assertThat(config.maxValueBytes()).isEqualTo(4096);
    assertThat(config.redisUri()).isEqualTo(TestRedis.uri());
    assertThat(config.keyPrefix()).startsWith("rt-test-Configured-");
  }

  @Kit.Fixture
  @ReadThroughTest
  static class Defaults {
    @Test
    void test(ReadThroughEngine engine) {
      SEEN.add(engine.config());
    }
  }

  @Test
  void withoutConfigureEngine_theEngineHasTheTestDefaults() {
    Kit.run(Defaults.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));

    assertThat(SEEN.get(0).operationTimeout()).isEqualTo(EngineSettings.OPERATION_TIMEOUT);
    assertThat(SEEN.get(0).maxValueBytes()).isEqualTo(ReadThroughConfig.DEFAULT_MAX_VALUE_BYTES);
  }

  @Kit.Fixture
  @ReadThroughTest
  static class WrongMethods {
    @ConfigureEngine
    void notStatic(ReadThroughConfig.Builder config) {}

    @ConfigureEngine
    static void noBuilder(String config) {}

    @Test
    void test() {}
  }

  @Test
  void wrongConfigureEngineMethods_failTheClass_namingEachOne() {
    assertClassFails(
        Kit.run(WrongMethods.class),
        WrongMethods.class,
        "@ConfigureEngine method WrongMethods.notStatic must be static void"
            + " notStatic(ReadThroughConfig.Builder config)",
        "@ConfigureEngine method WrongMethods.noBuilder must be static void");
  }

  @Kit.Fixture
  @ReadThroughTest
  static class BadSetting {
    @ConfigureEngine
    static void bad(ReadThroughConfig.Builder config) {
      config.operationTimeout(Duration.ZERO);
    }

    @Test
    void test() {}
  }

  @Test
  void aRefusedSetting_failsTheClass_withTheBuildersMessage() {
    assertClassFails(
        Kit.run(BadSetting.class),
        BadSetting.class,
        "operationTimeout must be between 1 ms and 1 minute: PT0S");
  }

  @Kit.Fixture
  @ReadThroughTest
  static class Unreachable {
    @ConfigureEngine
    static void nowhere(ReadThroughConfig.Builder config) {
      // nothing listens on port 1 of the loopback: the connection is refused at once
      config.redisUri("redis://127.0.0.1:1");
    }

    @Test
    void test() {}
  }

  @Test
  void anEngineThatCannotReachRedis_failsTheClass_andIsClosed() {
    assertClassFails(
        Kit.run(Unreachable.class), Unreachable.class, "the engine cannot reach Redis");
    assertThat(CacheInterceptors.isInstalled()).isFalse();
  }

  @Test
  void anotherEngineRunning_failsTheClass_sayingHowToAvoidIt() {
    ReadThroughEngine other =
        ReadThroughEngine.start(
            ReadThroughConfig.builder()
                .redisUri(TestRedis.uri())
                .keyPrefix("rt-test-other")
                .operationTimeout(Duration.ofSeconds(2))
                .build());
    try {
      assertClassFails(
          Kit.run(Defaults.class),
          Defaults.class,
          "another Readthrough engine is already installed in this JVM",
          "@ResourceLock(\"" + ReadThroughExtension.ENGINE_LOCK + "\")");
    } finally {
      other.close();
    }
  }

  @Kit.Fixture
  @ReadThroughTest
  static class NestedConfigures {
    @Test
    void outer() {}

    @Nested
    class Inner {
      @ConfigureEngine
      static void mine(ReadThroughConfig.Builder config) {}

      @Test
      void inner() {}
    }
  }

  @Test
  void aNestedClassWithAConfigureEngineOfItsOwn_fails_namingTheClassThatOwnsTheEngine() {
    EngineExecutionResults results = Kit.run(NestedConfigures.class);

    assertFails(
        results,
        container("nested-class:Inner"),
        "@ConfigureEngine methods of @Nested class " + NestedConfigures.Inner.class.getName(),
        "it shares the engine of " + NestedConfigures.class.getName());
    results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
  }

  @Test
  void everyReadThroughTestClass_takesTheEngineLock() {
    EngineExecutionResults results = Kit.run(Defaults.class, Configured.class);

    List<TestDescriptor> classes =
        results.containerEvents().started().stream()
            .map(Event::getTestDescriptor)
            .filter(d -> d.getSource().isPresent() && d.getParent().isPresent())
            .filter(d -> d.getParent().get().getParent().isEmpty())
            .toList();
    assertThat(classes).hasSize(2);
    for (TestDescriptor descriptor : classes) {
      assertThat(((Node<?>) descriptor).getExclusiveResources())
          .contains(
              new ExclusiveResource(
                  ReadThroughExtension.ENGINE_LOCK, ExclusiveResource.LockMode.READ_WRITE));
    }
  }

  /** The threads its tests ran on. */
  static final List<String> THREADS = new CopyOnWriteArrayList<>();

  @Kit.Fixture
  @ReadThroughTest
  static class Threads {
    @Test
    void one() {
      THREADS.add(Thread.currentThread().getName());
    }

    @Test
    void two() {
      THREADS.add(Thread.currentThread().getName());
    }

    @Test
    void three() {
      THREADS.add(Thread.currentThread().getName());
    }
  }

  @Test
  void underParallelExecution_classesWaitForEachOthersEngine_andRunTheirTestsInOneThread() {
    Map<String, String> parallel =
        Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
    THREADS.clear();

    Kit.run(
            parallel,
            Defaults.class,
            Configured.class,
            Threads.class,
            ExtensionLifecycleTest.Stores.class)
        .testEvents()
        .assertStatistics(s -> s.succeeded(6).failed(0));

    assertThat(THREADS).hasSize(3).containsOnly(THREADS.get(0));
  }

  private static void assertClassFails(
      EngineExecutionResults results, Class<?> testClass, String... messageParts) {
    assertFails(results, container(testClass), messageParts);
  }

  private static void assertFails(
      EngineExecutionResults results, Condition<Event> which, String... messageParts) {
    results
        .containerEvents()
        .assertThatEvents()
        .haveExactly(
            1,
            event(
                which,
                finishedWithFailure(
                    instanceOf(ExtensionConfigurationException.class),
                    message(
                        m -> {
                          for (String part : messageParts) {
                            if (!m.contains(part)) {
                              return false;
                            }
                          }
                          return true;
                        }))));
  }
}
