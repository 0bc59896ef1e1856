package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.readthrough.runtime.internal.resilience.CircuitBreaker;
import dev.readthrough.testing.TestRedis;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The breaker's open, probe and close protocol, with the interleavings that broke it forced. */
class CircuitBreakerTest {

  /**
   * Failures right after a probe closed the breaker open it again: a new probe must be scheduled.
   * In 0.1 the probe closed the breaker, the failures re-opened it while the probe was still
   * scheduled (so none was added), and then the probe cancelled itself: caching never resumed.
   */
  @Test
  void failuresRightAfterTheProbeClosed_scheduleANewProbe_andCachingResumes() {
    ReadThroughConfig config =
        ReadThroughConfig.builder()
            .redisUri(TestRedis.uri())
            .probeInterval(Duration.ofMillis(20))
            .build();
    try (ReadThroughEngine engine = ReadThroughEngine.start(config)) {
      CircuitBreaker breaker = engine.guard().breaker();
      AtomicInteger closings = new AtomicInteger();
      breaker.afterClosed =
          () -> {
            if (closings.incrementAndGet() == 1) {
              for (int i = 0; i < config.failureThreshold(); i++) {
                breaker.recordFailure(); // calls fail between the close and the probe's end
              }
            }
          };
      breaker.open();

      await().atMost(Duration.ofSeconds(10)).until(() -> closings.get() >= 2);
      assertThat(engine.isRedisAvailable()).isTrue();
    }
  }

  /**
   * A breaker that opens while the engine closes finds its scheduler shut down: the rejection must
   * not reach the call that recorded the failure.
   */
  @Test
  void openingAfterTheSchedulerShutDown_throwsNothing() {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    scheduler.shutdownNow();
    CircuitBreaker breaker = new CircuitBreaker(1, 10, scheduler, () -> true);
    assertThatCode(breaker::recordFailure).doesNotThrowAnyException();
    assertThat(breaker.isClosed()).isFalse();
  }

  @Test
  void aProbeThatFails_schedulesTheNextOne_untilRecoverySucceeds() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      AtomicInteger attempts = new AtomicInteger();
      CircuitBreaker breaker =
          new CircuitBreaker(1, 10, scheduler, () -> attempts.incrementAndGet() >= 3);
      breaker.recordFailure();
      await().atMost(Duration.ofSeconds(10)).until(breaker::isClosed);
      assertThat(attempts).hasValue(3);
    } finally {
      scheduler.shutdownNow();
    }
  }

  /**
   * A probe whose recovery throws an {@code Error} still schedules the next probe, and says so once
   * at ERROR. In 0.1 the probe caught only {@code RuntimeException}: the {@code Error} ended the
   * scheduled task, no probe followed, and the breaker stayed open for good.
   */
  @Test
  void aProbeThatThrowsAnError_schedulesTheNextOne_logsItOnce_andTheBreakerCloses() {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (Logs logs = Logs.of(ReadThroughEngine.class.getName())) {
      AtomicInteger attempts = new AtomicInteger();
      CircuitBreaker breaker =
          new CircuitBreaker(
              1,
              10,
              scheduler,
              () -> {
                int attempt = attempts.incrementAndGet();
                if (attempt == 1) {
                  throw new AssertionError("probe failed");
                }
                if (attempt == 2) {
                  throw new StackOverflowError();
                }
                return true;
              });
      breaker.recordFailure();
      await().atMost(Duration.ofSeconds(5)).until(breaker::isClosed);
      assertThat(attempts).hasValue(3);
      assertThat(logs.at(Level.ERROR)).hasSize(1);
    } finally {
      scheduler.shutdownNow();
    }
  }
}
