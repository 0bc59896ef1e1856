package dev.readthrough.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.weaver.CacheInterceptors;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The extension as a user's test class meets it: injected, isolated per test, asserted on. */
@ReadThroughTest
class ReadThroughTestUsageTest {

  private static ReadThroughEngine started;
  private final ReadThroughEngine constructed;
  private final Greeter greeter = new Greeter();

  ReadThroughTestUsageTest(ReadThroughEngine engine) {
    this.constructed = engine;
  }

  @BeforeAll
  static void keep(ReadThroughEngine engine) {
    started = engine;
  }

  @Test
  void engine_isTheOneInstalled_andTheSameInEveryParameter(
      ReadThroughEngine engine, TestCaches caches) {
    assertThat(engine).isSameAs(started).isSameAs(constructed).isSameAs(caches.engine());
    assertThat(CacheInterceptors.isInstalled()).isTrue();
    assertThat(engine.isRedisAvailable()).isTrue();
  }

  @Test
  void keyPrefix_isTheClassesOwn(TestCaches caches) {
    assertThat(caches.keyPrefix()).matches("rt-test-ReadThroughTestUsageTest-[0-9a-f]{8}");
    assertThat(caches.keyFor("greetings", "ada")).isEqualTo(caches.keyPrefix() + ":greetings:ada");
  }

  @Test
  void secondCall_afterTheStore_isAHit(TestCaches caches) {
    greeter.greet("ada");
    caches.awaitStored("greetings", "ada");
    String second = greeter.greet("ada");

    assertThat(second).isEqualTo("hello ada");
    assertThat(greeter.calls).hasValue(1);
    caches.assertThat("greetings").hasMisses(1).hasHits(1).hasCalls(2).hasErrors(0);
  }

  @Test
  void firstCall_ofEachTest_isAMiss(TestCaches caches) {
    // the key the other tests store: without the clear before each test, one of them would hit
    greeter.greet("ada");

    caches.assertThat("greetings").hasMisses(1).hasHits(0);
    assertThat(greeter.calls).hasValue(1);
  }

  @Test
  void wrongCount_failsNamingTheCacheAndTheTest(TestCaches caches) {
    greeter.greet("ada");

    assertThatThrownBy(() -> caches.assertThat("greetings").hasHits(1))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith(
            "cache \"greetings\" since the test began: expected hits 1 but was 0; CacheStats[");
  }

  @Test
  void awaitStored_ofAResultThatIsNeverCached_failsSayingWhatTheKeyHolds(TestCaches caches) {
    greeter.nothing("ada");

    assertThatThrownBy(() -> caches.awaitStored("nothing", "ada"))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith("no entry is stored under " + caches.keyFor("nothing", "ada"))
        .hasMessageEndingWith("was the result one that is not cached?");
    assertThat(caches.isStored("nothing", "ada")).isFalse();
  }

  @Test
  void awaitLoads_whileAMethodRuns_failsSayingHowManyLoadsAreUnderWay(TestCaches caches)
      throws InterruptedException {
    Thread caller = new Thread(() -> greeter.gated("ada"));
    caller.start();
    try {
      greeter.entered.await();

      assertThatThrownBy(() -> caches.awaitLoads(Duration.ofMillis(50)))
          .isInstanceOf(AssertionFailedError.class)
          .hasMessage("1 load is still under way after PT0.05S");
    } finally {
      greeter.gate.countDown();
      caller.join();
    }
    caches.awaitLoads();
    assertThat(caches.isStored("gated", "ada")).isTrue();
  }

  @Nested
  class WhenSetUpCallsTheCache {

    @BeforeEach
    void warm(TestCaches caches) {
      greeter.greet("grace");
      caches.awaitStored("greetings", "grace");
    }

    @Test
    void theTestCountsItsOwnCallsOnly(ReadThroughEngine engine, TestCaches caches) {
      caches.assertThat("greetings").hasCalls(0);

      greeter.greet("grace");

      caches.assertThat("greetings").hasHits(1).hasMisses(0);
      assertThat(engine).as("a nested class shares the engine").isSameAs(started);
    }
  }
}
