package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.ReadThrough;
import dev.readthrough.testing.TestRedis;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An async executor that refuses work, or runs it on the thread that hands it over, never fails a
 * call, hangs it, or puts the method on a Redisson I/O thread.
 */
class AsyncExecutorRefusalTest {

  static final class Service {
    final AtomicReference<String> ranOn = new AtomicReference<>();

    @ReadThrough(cache = "refusal", key = "id", ttlSeconds = 300)
    CompletableFuture<String> find(long id) {
      ranOn.set(Thread.currentThread().getName());
      return CompletableFuture.completedFuture("v" + id);
    }

    @ReadThrough(cache = "refusal", each = "ids", ttlSeconds = 300)
    CompletableFuture<Map<Long, String>> findAll(Collection<Long> ids) {
      ranOn.set(Thread.currentThread().getName());
      Map<Long, String> found = new LinkedHashMap<>();
      ids.forEach(id -> found.put(id, "v" + id));
      return CompletableFuture.completedFuture(found);
    }
  }

  private final Service service = new Service();
  private final CountDownLatch releaseBusy = new CountDownLatch(1);
  private RedisFixture redis;
  private ThreadPoolExecutor pool;

  /** A pool of one thread and no queue, kept busy: every task it is given meets the policy. */
  private void start(RejectedExecutionHandler policy) throws Exception {
    pool =
        new ThreadPoolExecutor(
            1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), r -> new Thread(r, "pool"));
    CountDownLatch busy = new CountDownLatch(1);
    pool.execute(
        () -> {
          busy.countDown();
          try {
            releaseBusy.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    pool.execute(() -> {}); // fills the queue
    assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
    pool.setRejectedExecutionHandler(policy);
    start((Executor) pool);
  }

  private void start(Executor executor) {
    redis =
        RedisFixture.start(
            ReadThroughConfig.builder()
                .redisUri(TestRedis.uri())
                .operationTimeout(Duration.ofSeconds(2))
                .asyncExecutor(executor));
    redis.clear();
  }

  @AfterEach
  void stop() {
    releaseBusy.countDown();
    if (pool != null) {
      pool.shutdownNow();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** Before the fix the call failed with RejectedExecutionException and the method never ran. */
  @Test
  void abortPolicy_theAsyncMissStillRunsTheMethod() throws Exception {
    start(new ThreadPoolExecutor.AbortPolicy());
    assertThat(service.find(1).get(10, TimeUnit.SECONDS)).isEqualTo("v1");
    assertThat(service.ranOn.get()).startsWith("readthrough-async-");
  }

  /** Before the fix the bulk call's future never completed. */
  @Test
  void abortPolicy_theAsyncBulkCallCompletes() throws Exception {
    start(new ThreadPoolExecutor.AbortPolicy());
    assertThat(service.findAll(List.of(1L, 2L)).get(10, TimeUnit.SECONDS))
        .containsExactly(Map.entry(1L, "v1"), Map.entry(2L, "v2"));
  }

  /** Before the fix the method ran on the Redisson thread that completed the read. */
  @Test
  void callerRunsPolicy_theMethodNeverRunsOnARedissonThread() throws Exception {
    start(new ThreadPoolExecutor.CallerRunsPolicy());
    assertThat(service.find(2).get(10, TimeUnit.SECONDS)).isEqualTo("v2");
    assertThat(service.ranOn.get()).startsWith("readthrough-async-");
    assertThat(service.findAll(List.of(3L)).get(10, TimeUnit.SECONDS)).containsKey(3L);
    assertThat(service.ranOn.get()).startsWith("readthrough-async-");
  }

  /** A direct executor is an executor that runs everything on the thread handing it over. */
  @Test
  void directExecutor_theMethodNeverRunsOnARedissonThread() throws Exception {
    start((Executor) Runnable::run);
    assertThat(service.find(4).get(10, TimeUnit.SECONDS)).isEqualTo("v4");
    assertThat(service.ranOn.get()).startsWith("readthrough-async-");
  }
}
