package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract's "Async results" section, line by line, against a real Redis. */
class AsyncReadThroughTest {

  static final ExecutorService LOADS =
      Executors.newCachedThreadPool(r -> new Thread(r, "async-load"));
  static RedisFixture redis;

  @BeforeAll
  static void startEngine() {
    redis =
        RedisFixture.start(
            ReadThroughConfig.builder()
                .redisUri(TestRedis.uri())
                .operationTimeout(Duration.ofSeconds(2))
                .asyncExecutor(LOADS));
  }

  @AfterAll
  static void stopEngine() {
    redis.close();
    LOADS.shutdownNow();
  }

  @BeforeEach
  void clearKeys() {
    redis.clear();
  }

  static final class Profiles {
    final AtomicInteger runs = new AtomicInteger();
    final List<String> threads = new ArrayList<>();
    volatile CompletableFuture<String> pending;
    volatile RuntimeException thrown;

    @ReadThrough(cache = "profiles", key = "id", ttlSeconds = 300)
    String find(long id) {
      runs.incrementAndGet();
      return "sync-" + id;
    }

    @ReadThrough(cache = "profiles", key = "id", ttlSeconds = 300)
    CompletableFuture<String> findAsync(long id) {
      runs.incrementAndGet();
      synchronized (threads) {
        threads.add(Thread.currentThread().getName());
      }
      if (thrown != null) {
        throw thrown;
      }
      CompletableFuture<String> given = pending;
      return given != null ? given : CompletableFuture.completedFuture("async-" + id);
    }

    @ReadThrough(cache = "profiles", key = "id", ttlSeconds = 300)
    CompletionStage<String> findStage(long id) {
      runs.incrementAndGet();
      return CompletableFuture.completedFuture("stage-" + id);
    }

    @WriteThrough(cache = "profiles", key = "id", ttlSeconds = 300)
    CompletableFuture<String> save(long id, CompletableFuture<String> saved) {
      return saved;
    }

    @Invalidate(cache = "profiles", key = "id")
    CompletableFuture<Void> delete(long id, CompletableFuture<Void> deleted) {
      return deleted;
    }
  }

  private final Profiles profiles = new Profiles();

  /** The same generic value type, read synchronously, asynchronously and in bulk. */
  static final class Lists {
    final AtomicInteger runs = new AtomicInteger();

    @ReadThrough(cache = "lists", key = "id", ttlSeconds = 300)
    List<String> names(long id) {
      runs.incrementAndGet();
      return List.of("n" + id, "sync");
    }

    @ReadThrough(cache = "lists", key = "id", ttlSeconds = 300)
    CompletableFuture<List<String>> namesAsync(long id) {
      runs.incrementAndGet();
      return CompletableFuture.completedFuture(List.of("n" + id, "async"));
    }

    @ReadThrough(cache = "lists", each = "ids", ttlSeconds = 300)
    java.util.Map<Long, List<String>> namesAll(List<Long> ids) {
      runs.incrementAndGet();
      java.util.Map<Long, List<String>> found = new java.util.LinkedHashMap<>();
      ids.forEach(id -> found.put(id, List.of("n" + id, "bulk")));
      return found;
    }
  }

  /**
   * A generic value type inside a future or a map is the same entry type as the sync method's: the
   * three read each other's entries (their fingerprints are built from the same type name).
   */
  @Test
  void aGenericValueType_isOneEntryType_forSyncAsyncAndBulkMethods() throws Exception {
    Lists lists = new Lists();
    assertThat(lists.namesAsync(1).get(10, TimeUnit.SECONDS)).containsExactly("n1", "async");
    awaitStored("rt:lists:1");
    assertThat(lists.names(1)).containsExactly("n1", "async");
    assertThat(lists.namesAll(List.of(1L)).get(1L)).containsExactly("n1", "async");
    assertThat(lists.runs).hasValue(1);
    assertThat(redis.engine.stats("lists").decodeFailures()).isZero();
  }

  @Test
  void asyncMethod_cachesTheValue_inTheEntryTheSyncMethodUses() throws Exception {
    assertThat(profiles.findAsync(1).get(10, TimeUnit.SECONDS)).isEqualTo("async-1");
    awaitStored("rt:profiles:1");
    assertThat(profiles.find(1)).isEqualTo("async-1");

    assertThat(profiles.find(2)).isEqualTo("sync-2");
    awaitStored("rt:profiles:2");
    assertThat(profiles.findAsync(2).get(10, TimeUnit.SECONDS)).isEqualTo("sync-2");
    assertThat(profiles.findStage(2).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isEqualTo("sync-2");
    assertThat(profiles.runs).hasValue(2);
  }

  @Test
  void aMiss_runsTheMethodOnTheAsyncExecutor_andTheFutureCompletesAsTheMethodsDoes()
      throws Exception {
    CompletableFuture<String> completion = new CompletableFuture<>();
    profiles.pending = completion;
    CompletableFuture<String> result = profiles.findAsync(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> profiles.runs.get() == 1);
    assertThat(result).as("completes as the method's future does, not before").isNotDone();

    completion.complete("late-3");
    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("late-3");
    assertThat(profiles.threads).containsExactly("async-load");
    awaitStored("rt:profiles:3");
  }

  @Test
  void aHit_completesWithTheDecodedValue_withoutRunningTheMethod() throws Exception {
    profiles.findAsync(4).get(10, TimeUnit.SECONDS);
    awaitStored("rt:profiles:4");
    assertThat(profiles.findAsync(4).get(10, TimeUnit.SECONDS)).isEqualTo("async-4");
    assertThat(profiles.runs).hasValue(1);
    assertThat(redis.engine.stats("profiles").hits()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aSynchronousThrow_failsTheFuture_withThatSameInstance() {
    IllegalStateException boom = new IllegalStateException("boom");
    profiles.thrown = boom;
    CompletableFuture<String> result = profiles.findAsync(5);
    assertThat(failureOf(result)).isSameAs(boom);
    assertThat(redis.exists("rt:profiles:5")).isFalse();
  }

  @Test
  void aFailedFuture_failsTheReturnedFuture_withThatSameInstance_andNothingIsStored() {
    IllegalArgumentException boom = new IllegalArgumentException("upstream");
    profiles.pending = CompletableFuture.failedFuture(boom);
    assertThat(failureOf(profiles.findAsync(6))).isSameAs(boom);
    profiles.pending = null;
    assertThat(profiles.findAsync(6).join()).isEqualTo("async-6");
    assertThat(profiles.runs).as("the failure was not cached").hasValue(2);
  }

  @Test
  void concurrentCalls_shareOneLoad() throws Exception {
    CompletableFuture<String> completion = new CompletableFuture<>();
    profiles.pending = completion;
    List<CompletableFuture<String>> calls = new ArrayList<>();
    calls.add(profiles.findAsync(7));
    await().atMost(Duration.ofSeconds(10)).until(() -> profiles.runs.get() == 1);
    for (int i = 0; i < 4; i++) {
      calls.add(profiles.findAsync(7));
    }
    completion.complete("shared-7");
    for (CompletableFuture<String> call : calls) {
      assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("shared-7");
    }
    assertThat(profiles.runs).hasValue(1);
  }

  @Test
  void writeThrough_onAnAsyncMethod_writesOnceItsFutureCompletesNormally() throws Exception {
    CompletableFuture<String> saved = new CompletableFuture<>();
    CompletableFuture<String> result = profiles.save(8, saved);
    assertThat(redis.exists("rt:profiles:8")).isFalse();
    saved.complete("saved-8");
    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("saved-8");
    assertThat(redis.exists("rt:profiles:8"))
        .as("written before the returned future completed")
        .isTrue();
    assertThat(profiles.find(8)).isEqualTo("saved-8");

    CompletableFuture<String> failed = new CompletableFuture<>();
    CompletableFuture<String> failing = profiles.save(9, failed);
    IllegalStateException boom = new IllegalStateException("not saved");
    failed.completeExceptionally(boom);
    assertThat(failureOf(failing)).isSameAs(boom);
    assertThat(redis.exists("rt:profiles:9")).isFalse();
  }

  @Test
  void invalidate_onAnAsyncMethod_removesOnceItsFutureCompletesNormally() throws Exception {
    profiles.find(10);
    awaitStored("rt:profiles:10");

    CompletableFuture<Void> failed =
        CompletableFuture.failedFuture(new IllegalStateException("no"));
    failureOf(profiles.delete(10, failed));
    assertThat(redis.exists("rt:profiles:10")).as("a failed future invalidates nothing").isTrue();

    CompletableFuture<Void> deleted = new CompletableFuture<>();
    CompletableFuture<Void> result = profiles.delete(10, deleted);
    assertThat(redis.exists("rt:profiles:10")).isTrue();
    deleted.complete(null);
    result.get(10, TimeUnit.SECONDS);
    assertThat(redis.exists("rt:profiles:10")).isFalse();
  }

  /**
   * An async method that calls itself with its own key inside its body runs, not waits for itself.
   */
  static final class Recursive {
    final AtomicInteger runs = new AtomicInteger();

    @ReadThrough(cache = "recursive", key = "id", ttlSeconds = 60)
    CompletableFuture<Integer> depth(long id, int left) {
      runs.incrementAndGet();
      if (left == 0) {
        return CompletableFuture.completedFuture(0);
      }
      return CompletableFuture.completedFuture(depth(id, left - 1).join() + 1);
    }
  }

  /**
   * 0.1 keyed the recursion guard by the thread that created the load: an async load's method runs
   * on an executor thread, so its own recursive call waited for itself.
   */
  @Test
  void anAsyncMethodCallingItselfWithItsOwnKey_runsInsteadOfWaitingForItself() throws Exception {
    Recursive recursive = new Recursive();
    assertThat(recursive.depth(1, 2).get(10, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(recursive.runs).hasValue(3);
  }

  /**
   * A method whose future fails with a {@code CompletionException} of its own: the caller sees that
   * very instance. Before the fix it was unwrapped, and the caller saw its cause instead.
   */
  @Test
  void aFutureFailedWithACompletionException_failsTheReturnedFutureWithThatInstance() {
    CompletionException own = new CompletionException("own", new IllegalStateException("cause"));
    profiles.pending = CompletableFuture.failedFuture(own);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    CompletableFuture<String> result = profiles.findAsync(11);
    result.whenComplete((value, error) -> seen.set(error));
    assertThat(failureOf(result)).isSameAs(own.getCause()); // get() unwraps, as on the method's own
    assertThat(seen.get()).isSameAs(own);
    profiles.pending = null;
  }

  /**
   * The method's future is completed by a thread of the method's choosing (here "foreign", as a
   * Redisson event loop would be when the application shares its client): the encode, the store and
   * the caller's completion run on the async executor instead. Before the fix the caller's
   * dependent stage ran on the foreign thread.
   */
  @Test
  void theMethodsFutureCompletedOnAForeignThread_completesTheCallerOnTheExecutor()
      throws Exception {
    CompletableFuture<String> completion = new CompletableFuture<>();
    profiles.pending = completion;
    CompletableFuture<String> result = profiles.findAsync(12);
    AtomicReference<String> completedOn = new AtomicReference<>();
    CompletableFuture<String> seen =
        result.whenComplete((value, error) -> completedOn.set(Thread.currentThread().getName()));
    await().atMost(Duration.ofSeconds(10)).until(() -> profiles.runs.get() == 1);
    Thread foreign = new Thread(() -> completion.complete("foreign-12"), "foreign");
    foreign.start();
    assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("foreign-12");
    assertThat(completedOn.get()).isEqualTo("async-load");
    profiles.pending = null;
  }

  static void awaitStored(String key) {
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.exists(key));
  }

  static Throwable failureOf(CompletableFuture<?> future) {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the future completed normally");
  }
}
