package dev.readthrough.reliability;

import static dev.readthrough.reliability.Engines.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.RedisProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many threads missing one key at once run the method once and share its result, or its exception,
 * as {@code ConcurrentHashMap.computeIfAbsent} callers would.
 */
class StampedeTest {

  private static final int CALLERS = 16;

  static final class Upstream {
    final AtomicInteger runs = new AtomicInteger();
    volatile Runnable whileRunning = () -> {};
    volatile Throwable failure;

    @ReadThrough(cache = "stampede", key = "id", ttlSeconds = 300)
    String load(int id) throws Throwable {
      runs.incrementAndGet();
      whileRunning.run();
      if (failure != null) {
        throw failure;
      }
      return new String("value-" + id); // a new instance per run, to tell shared results apart
    }
  }

  private final Upstream upstream = new Upstream();
  private RedisProcess redis;
  private ReadThroughEngine engine;

  @BeforeEach
  void start() {
    redis = RedisProcess.start();
    engine = Engines.startConnected(Engines.steady(redis.uri()).build());
  }

  @AfterEach
  void stop() {
    engine.close();
    redis.stop();
  }

  /**
   * Releases {@link #CALLERS} threads together on {@code load(id)}; the method, once running, holds
   * until every other caller is parked waiting for it. Returns each caller's result or exception.
   */
  private List<Object> stampede(int id) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Set<Thread> callers = ConcurrentHashMap.newKeySet();
    upstream.whileRunning =
        () -> {
          Thread leader = Thread.currentThread();
          await()
              .atMost(PATIENCE)
              .until(
                  () ->
                      callers.size() == CALLERS
                          && callers.stream()
                              .filter(t -> t != leader)
                              .allMatch(t -> t.getState() == Thread.State.WAITING));
        };
    ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
    try {
      List<Future<Object>> calls = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        calls.add(
            pool.submit(
                () -> {
                  release.await();
                  callers.add(Thread.currentThread());
                  try {
                    return upstream.load(id);
                  } catch (Throwable t) {
                    return t;
                  }
                }));
      }
      release.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> call : calls) {
        outcomes.add(call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentMissesOnOneKey_runMethodOnce_allCallersGetItsResult() throws Exception {
    List<Object> outcomes = stampede(7);

    assertThat(upstream.runs.get()).isEqualTo(1);
    assertThat(outcomes)
        .hasSize(CALLERS)
        .allMatch(o -> o == outcomes.get(0), "the very same result instance");
    assertThat(outcomes.get(0)).isEqualTo("value-7");
  }

  static Stream<Throwable> failures() {
    return Stream.of(
        new IllegalStateException("upstream refused"),
        new IOException("upstream unreachable"),
        new StackOverflowError("application recursion"),
        new CompletionException("async upstream failed", new IOException("cause")));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void concurrentMissesOnOneKey_methodThrows_allCallersGetTheSameExceptionInstance(
      Throwable failure) throws Exception {
    upstream.failure = failure;

    List<Object> outcomes = stampede(7);

    assertThat(upstream.runs.get()).isEqualTo(1);
    assertThat(outcomes)
        .hasSize(CALLERS)
        .allMatch(o -> o == failure, "the method's own exception instance");
    assertThat(engine.stats("stampede").writes()).isZero();
  }
}
