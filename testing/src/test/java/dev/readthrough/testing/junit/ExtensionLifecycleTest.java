package dev.readthrough.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.weaver.CacheInterceptors;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** When the extension starts, shares, clears and closes an engine, seen from outside the class. */
class ExtensionLifecycleTest {

  /** Every engine a fixture was given, in order. */
  static final List<ReadThroughEngine> SEEN = new CopyOnWriteArrayList<>();

  @BeforeEach
  void forget() {
    SEEN.clear();
  }

  @Kit.Fixture
  @ReadThroughTest
  static class Stores {
    @Test
    void storesAnEntry(ReadThroughEngine engine, TestCaches caches) {
      SEEN.add(engine);
      new Greeter().greet("ada");
      caches.awaitStored("greetings", "ada");
      assertThat(CacheInterceptors.isInstalled()).isTrue();
    }
  }

  @Kit.Fixture
  @ReadThroughTest
  static class AlsoStores extends Stores {}

  @Test
  void afterTheClass_theEngineIsClosedAndUninstalled_andItsKeysAreGone() {
    EngineExecutionResults results = Kit.run(Stores.class);

    results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    ReadThroughEngine engine = SEEN.get(0);
    assertThat(engine.isRedisAvailable()).as("closed").isFalse();
    assertThat(CacheInterceptors.isInstalled()).isFalse();
    assertThat(Kit.keysUnder(engine.config().keyPrefix() + ":")).isZero();
  }

  @Test
  void classesRunOneAfterAnother_eachHaveAnEngineAndAPrefixOfTheirOwn() {
    Kit.run(Stores.class, AlsoStores.class)
        .testEvents()
        .assertStatistics(s -> s.succeeded(2).failed(0));

    assertThat(SEEN).hasSize(2);
    assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(1));
    assertThat(SEEN.get(0).config().keyPrefix())
        .startsWith("rt-test-Stores-")
        .isNotEqualTo(SEEN.get(1).config().keyPrefix());
    assertThat(SEEN.get(1).config().keyPrefix()).startsWith("rt-test-AlsoStores-");
  }

  @Kit.Fixture
  @ReadThroughTest(clearBeforeEach = false)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class Keeps {
    final Greeter greeter = new Greeter();

    @Test
    @Order(1)
    void stores(TestCaches caches) {
      greeter.greet("ada");
      caches.awaitStored("greetings", "ada");
    }

    @Test
    @Order(2)
    void findsWhatTheFirstTestStored(TestCaches caches) {
      greeter.greet("ada");
      caches.assertThat("greetings").hasHits(1).hasMisses(0);
    }
  }

  @Test
  void clearBeforeEachOff_keepsEntriesFromOneTestToTheNext() {
    Kit.run(Keeps.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
  }

  @Kit.Fixture
  @ReadThroughTest
  static class Outer {
    @Test
    void outer(ReadThroughEngine engine) {
      SEEN.add(engine);
    }

    @Nested
    class Inner {
      @Test
      void inner(ReadThroughEngine engine, TestCaches caches) {
        SEEN.add(engine);
        assertThat(caches.engine()).isSameAs(engine);
      }

      @Nested
      class Innermost {
        @Test
        void innermost(ReadThroughEngine engine) {
          SEEN.add(engine);
        }
      }
    }
  }

  @Test
  void nestedClasses_shareTheEnclosingClasssEngine_closedAfterTheOutermost() {
    Kit.run(Outer.class).testEvents().assertStatistics(s -> s.succeeded(3).failed(0));

    assertThat(SEEN).hasSize(3);
    assertThat(SEEN.get(1)).isSameAs(SEEN.get(0));
    assertThat(SEEN.get(2)).isSameAs(SEEN.get(0));
    assertThat(SEEN.get(0).config().keyPrefix()).startsWith("rt-test-Outer-");
    assertThat(SEEN.get(0).isRedisAvailable()).isFalse();
  }

  @Kit.Fixture
  @ReadThroughTest
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  static class PerClass {
    final ReadThroughEngine engine;

    PerClass(ReadThroughEngine engine) {
      this.engine = engine;
      SEEN.add(engine);
    }

    @Test
    void one(ReadThroughEngine engine) {
      SEEN.add(engine);
    }

    @Test
    void two(ReadThroughEngine engine) {
      SEEN.add(engine);
    }
  }

  @Test
  void perClassInstance_getsTheEngineInItsConstructor_beforeAnyCallback() {
    Kit.run(PerClass.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));

    assertThat(SEEN).hasSize(3).containsOnly(SEEN.get(0));
    assertThat(SEEN.get(0).isRedisAvailable()).isFalse();
  }

  @Kit.Fixture
  @ExtendWith(ReadThroughExtension.class)
  static class ExtendedOnly {
    @Test
    void test(ReadThroughEngine engine) {
      SEEN.add(engine);
    }
  }

  @Test
  void extendWithAlone_worksAsTheAnnotationWithItsDefaults() {
    Kit.run(ExtendedOnly.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));

    assertThat(SEEN.get(0).config().keyPrefix()).startsWith("rt-test-ExtendedOnly-");
  }
}
