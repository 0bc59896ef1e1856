package dev.readthrough.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.readthrough.runtime.CacheStats;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

class CacheStatsAssertTest {

  /** Every counter different, so that a check reading the wrong one fails. */
  private static final CacheStats STATS = new CacheStats(1, 2, 3, 4, 5, 6, 7, 8);

  static Stream<Arguments> counters() {
    return Stream.of(
        counter("hits", 1, (a, n) -> a.hasHits(n)),
        counter("misses", 2, (a, n) -> a.hasMisses(n)),
        counter("shared", 3, (a, n) -> a.hasShared(n)),
        counter("errors", 4, (a, n) -> a.hasErrors(n)),
        counter("bypassed", 5, (a, n) -> a.hasBypassed(n)),
        counter("decodeFailures", 6, (a, n) -> a.hasDecodeFailures(n)),
        counter("writes", 7, (a, n) -> a.hasWrites(n)),
        counter("skippedTooLarge", 8, (a, n) -> a.hasSkippedTooLarge(n)),
        counter("calls", 1 + 2 + 3 + 5, (a, n) -> a.hasCalls(n)));
  }

  interface Check {
    CacheStatsAssert apply(CacheStatsAssert assertion, long expected);
  }

  private static Arguments counter(String name, long actual, Check check) {
    return Arguments.of(name, actual, check);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("counters")
  void eachCheck_passesOnItsCount_andReturnsTheSameAssertion(
      String name, long actual, Check check) {
    CacheStatsAssert assertion = CacheStatsAssert.assertThat(STATS);

    assertThat(check.apply(assertion, actual)).isSameAs(assertion);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("counters")
  void eachCheck_failsOnAnotherCount_namingCounterNumbersAndRecord(
      String name, long actual, Check check) {
    AssertionFailedError failure =
        catchThrowableOfType(
            AssertionFailedError.class,
            () -> check.apply(CacheStatsAssert.assertThat(STATS), actual + 10));

    assertThat(failure)
        .hasMessage(
            "cache stats: expected "
                + name
                + " "
                + (actual + 10)
                + " but was "
                + actual
                + "; "
                + STATS);
    assertThat(failure.getExpected().getValue()).isEqualTo(actual + 10);
    assertThat(failure.getActual().getValue()).isEqualTo(actual);
  }

  @Test
  void chainedChecks_stopAtTheFirstWrongOne() {
    Consumer<CacheStatsAssert> chain = a -> a.hasHits(1).hasMisses(99).hasShared(98);

    assertThatCode(() -> chain.accept(CacheStatsAssert.assertThat(STATS)))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("expected misses 99 but was 2");
  }

  @Test
  void failureOnACacheWithNoCalls_asksWhetherTheMethodsAreWoven_andNamesTheCachesUsed() {
    CacheStatsAssert assertion =
        new CacheStatsAssert(
            CacheStats.empty(), "cache \"user\" since the test began", Set.of("users"));

    assertThatCode(() -> assertion.hasMisses(1))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith("cache \"user\" since the test began: expected misses 1 but was 0")
        .hasMessageContaining("are the cached methods woven")
        .hasMessageEndingWith("[users]");
  }

  @Test
  void failureWithCalls_hasNoWeavingQuestion() {
    assertThatCode(() -> CacheStatsAssert.assertThat(STATS).hasHits(2))
        .hasMessageNotContaining("woven");
  }
}
