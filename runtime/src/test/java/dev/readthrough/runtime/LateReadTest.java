package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call whose read was sent before a load of its key finished takes that load's outcome, however
 * late the read's answer is handled: the window is forced by holding the async executor back, or by
 * a hook between a sync call's miss and its claim.
 */
class LateReadTest {

  /** An executor that queues what it is given while held, and runs it on demand. */
  static final class HeldExecutor implements Executor {
    final LinkedBlockingDeque<Runnable> queued = new LinkedBlockingDeque<>();
    final ExecutorService threads = Executors.newCachedThreadPool();
    volatile boolean held;

    @Override
    public void execute(Runnable task) {
      if (held) {
        queued.add(task);
      } else {
        threads.execute(task);
      }
    }

    void runFirst() {
      threads.execute(queued.removeFirst());
    }

    void release() {
      held = false;
      Runnable task;
      while ((task = queued.poll()) != null) {
        threads.execute(task);
      }
    }
  }

  static final class Service {
    final AtomicInteger calls = new AtomicInteger();

    @ReadThrough(cache = "late", key = "id", ttlSeconds = 300)
    CompletableFuture<String> findAsync(long id) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture("v" + id);
    }

    @ReadThrough(cache = "late", key = "id", ttlSeconds = 300)
    String find(long id) {
      calls.incrementAndGet();
      return "v" + id;
    }
  }

  static final HeldExecutor EXECUTOR = new HeldExecutor();
  static RedisFixture redis;
  final Service service = new Service();

  @BeforeAll
  static void startEngine() {
    redis =
        RedisFixture.start(
            ReadThroughConfig.builder()
                .redisUri(TestRedis.uri())
                .operationTimeout(Duration.ofSeconds(2))
                .asyncExecutor(EXECUTOR));
  }

  @AfterAll
  static void stopEngine() {
    redis.close();
    EXECUTOR.threads.shutdownNow();
  }

  @BeforeEach
  void clearKeys() {
    redis.clear();
  }

  @AfterEach
  void releaseAll() {
    EXECUTOR.release();
    redis.engine.flights().beforeClaim = null;
  }

  /**
   * Twenty async calls all read a miss; the first load runs and stores while the other nineteen
   * answers wait on the executor. Before the fix each of the nineteen found no flight and led a
   * load of its own: the method ran 20 times.
   */
  @Test
  void asyncStampede_whoseMissesAreHandledAfterTheLoadFinished_runsTheMethodOnce()
      throws Exception {
    CacheStats before = redis.engine.stats("late");
    EXECUTOR.held = true;
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(service.findAsync(1));
    }
    // every GET has answered with a miss, and each call's handling of it is held back
    await().atMost(Duration.ofSeconds(10)).until(() -> EXECUTOR.queued.size() == 20);

    EXECUTOR.runFirst(); // one call leads, runs the method and stores
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.exists("rt:late:1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.engine.flights().size() == 0);
    EXECUTOR.release(); // the nineteen late answers are handled now

    for (CompletableFuture<String> call : calls) {
      assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
    }
    assertThat(service.calls).hasValue(1);
    CacheStats after = redis.engine.stats("late");
    assertThat(after.misses() - before.misses()).isEqualTo(1);
    assertThat(after.shared() - before.shared()).isEqualTo(19);
    assertThat(after.hits() - before.hits()).isZero();
    assertThat(after.errors() - before.errors()).isZero();
    assertThat(after.bypassed() - before.bypassed()).isZero();
  }

  /**
   * A sync call reads a miss, and before it claims the key another call loads and stores it. The
   * late call must take that load's value, not run the method again.
   */
  @Test
  void syncCallWhoseMissIsHandledAfterAnotherLoadFinished_takesThatLoad() throws Exception {
    CountDownLatch lateMissed = new CountDownLatch(1);
    CountDownLatch otherLoaded = new CountDownLatch(1);
    Thread[] late = new Thread[1];
    redis.engine.flights().beforeClaim =
        () -> {
          if (Thread.currentThread() == late[0]) {
            lateMissed.countDown();
            try {
              assertThat(otherLoaded.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
          }
        };
    CacheStats before = redis.engine.stats("late");
    CompletableFuture<String> lateResult = new CompletableFuture<>();
    late[0] = new Thread(() -> lateResult.complete(service.find(2)));
    late[0].start();
    assertThat(lateMissed.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(service.find(2)).isEqualTo("v2");
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.exists("rt:late:2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.engine.flights().size() == 0);
    otherLoaded.countDown();

    assertThat(lateResult.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
    assertThat(service.calls).hasValue(1);
    CacheStats after = redis.engine.stats("late");
    assertThat(after.misses() - before.misses()).isEqualTo(1);
    assertThat(after.shared() - before.shared()).isEqualTo(1);
  }

  /** Finished loads are dropped once no read needs them: the table does not grow without end. */
  @Test
  void finishedLoads_areDroppedOnceNoReadNeedsThem() throws Exception {
    for (long id = 10; id < 20; id++) {
      assertThat(service.find(id)).isEqualTo("v" + id);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.engine.flights().retained() == 0);
  }
}
