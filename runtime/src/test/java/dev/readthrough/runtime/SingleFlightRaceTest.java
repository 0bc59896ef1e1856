package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.runtime.internal.flight.SingleFlight;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * The interleavings of a load's store with what supersedes it, and of a call's read with another
 * call's load, each forced at the exact point with the single-flight's hooks.
 */
class SingleFlightRaceTest extends EngineTest {

  static final class Racing {
    final AtomicInteger calls = new AtomicInteger();
    volatile CountDownLatch inBody = new CountDownLatch(0);
    volatile CountDownLatch release = new CountDownLatch(0);

    @ReadThrough(cache = "race", key = "id", ttlSeconds = 300)
    String load(long id) throws InterruptedException {
      calls.incrementAndGet();
      inBody.countDown();
      release.await(10, TimeUnit.SECONDS);
      return "v" + id;
    }

    volatile CountDownLatch otherKindInBody = new CountDownLatch(0);
    volatile CountDownLatch otherKindRelease = new CountDownLatch(0);

    /** Another kind of entry under the same keys: its loads never share the String ones. */
    @ReadThrough(cache = "race", key = "id", ttlSeconds = 300)
    Integer length(long id) throws InterruptedException {
      otherKindInBody.countDown();
      otherKindRelease.await(10, TimeUnit.SECONDS);
      return ("v" + id).length();
    }

    @WriteThrough(cache = "race", key = "id", ttlSeconds = 300)
    String write(long id, String value) {
      return value;
    }

    @Invalidate(cache = "race", key = "id")
    void remove(long id) {}
  }

  /** A user whose id the save method assigns. */
  static final class Draft {
    long id;
    final String name;

    Draft(String name) {
      this.name = name;
    }

    public long getId() {
      return id;
    }
  }

  static final class Repository {
    @WriteThrough(cache = "drafts", key = "draft.id", ttlSeconds = 300)
    String save(Draft draft) {
      draft.id = 42;
      return draft.name;
    }

    @Invalidate(cache = "drafts", key = "draft.id")
    void delete(Draft draft) {
      draft.id = 7;
    }
  }

  private final Racing racing = new Racing();
  private final ExecutorService others = Executors.newCachedThreadPool();

  @AfterEach
  void clearHooks() {
    SingleFlight flights = redis.engine.flights();
    flights.beforeStoreSent = null;
    flights.beforeClaim = null;
    others.shutdownNow();
  }

  /**
   * The invalidation arrives after the store was announced and completes before the store is sent,
   * as when the store's connection is slow to deliver it: the store, conditional on the lease the
   * invalidation removed, must change nothing. Before conditional stores, the invalidation waited
   * for the announced store at most the operation timeout, and a store delivered later than that
   * left the old value for its whole TTL.
   */
  @Test
  void invalidationBeforeAnAnnouncedStoreLands_leavesNoEntry() throws Exception {
    assertSupersededStoreLeavesNoEntry(() -> redis.engine.invalidate("race", 1L), 1);
  }

  @Test
  void invalidateAllBeforeAnAnnouncedStoreLands_leavesNoEntry() throws Exception {
    assertSupersededStoreLeavesNoEntry(() -> redis.engine.invalidateAll("race"), 2);
  }

  @Test
  void invalidateMethodBeforeAnAnnouncedStoreLands_leavesNoEntry() throws Exception {
    assertSupersededStoreLeavesNoEntry(() -> racing.remove(3), 3);
  }

  private void assertSupersededStoreLeavesNoEntry(Runnable invalidation, long id) throws Exception {
    SingleFlight flights = redis.engine.flights();
    flights.beforeStoreSent =
        () -> {
          flights.beforeStoreSent = null;
          try {
            // the invalidation runs to its end while the announced store is held back
            CompletableFuture.runAsync(invalidation, others).get(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };

    assertThat(racing.load(id)).isEqualTo("v" + id);
    await().atMost(Duration.ofSeconds(10)).until(() -> flights.size() == 0);

    assertThat(redis.exists("rt:race:" + id)).as("the entry the invalidation removed").isFalse();
    assertThat(racing.load(id)).isEqualTo("v" + id);
    assertThat(racing.calls).as("the next call is a miss").hasValue(2);
  }

  /**
   * A write-through lands while an announced store of the old value is held back: the store must
   * not replace the written value. Before conditional stores, the writer waited at most the
   * operation timeout for the store and the late store left the old value in Redis.
   */
  @Test
  void writeBeforeAnAnnouncedStoreLands_keepsTheWrittenValue() throws Exception {
    SingleFlight flights = redis.engine.flights();
    flights.beforeStoreSent =
        () -> {
          flights.beforeStoreSent = null;
          try {
            CompletableFuture.supplyAsync(() -> racing.write(8, "written"), others)
                .get(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };

    assertThat(racing.load(8)).isEqualTo("v8");
    await().atMost(Duration.ofSeconds(10)).until(() -> flights.size() == 0);

    assertThat(racing.load(8)).isEqualTo("written");
    assertThat(racing.calls).hasValue(1);
  }

  /**
   * Another JVM (here: a plain client) writes the key while this JVM's announced store of the old
   * value is held back: the store must not replace what the other JVM wrote.
   */
  @Test
  void otherClientWritesBeforeAnAnnouncedStoreLands_keepsItsValue() throws Exception {
    SingleFlight flights = redis.engine.flights();
    dev.readthrough.runtime.internal.EntryCodec codec =
        dev.readthrough.runtime.internal.EntryCodec.forMethod(
            Racing.class.getDeclaredMethod("load", long.class), redis.engine.config());
    byte[] theirs = codec.encode("theirs");
    flights.beforeStoreSent =
        () -> {
          flights.beforeStoreSent = null;
          redis.redis.<byte[]>getBucket("rt:race:9", ByteArrayCodec.INSTANCE).set(theirs);
        };

    assertThat(racing.load(9)).isEqualTo("v9");
    await().atMost(Duration.ofSeconds(10)).until(() -> flights.size() == 0);

    assertThat(racing.load(9)).isEqualTo("theirs");
    assertThat(racing.calls).hasValue(1);
  }

  /**
   * A load that the table does not hold (another kind of entry under a key already loading) is
   * superseded all the same: its store is conditional on its lease, which the invalidation removes.
   * Before, it was invisible to the invalidation and its SET landed after the UNLINK.
   */
  @Test
  void invalidationDuringALoadTheTableDoesNotHold_leavesNoEntry() throws Exception {
    racing.inBody = new CountDownLatch(1);
    racing.release = new CountDownLatch(1);
    racing.otherKindInBody = new CountDownLatch(1);
    racing.otherKindRelease = new CountDownLatch(1);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> load(12), others);
    assertThat(racing.inBody.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Integer> other =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return racing.length(12);
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            },
            others);
    assertThat(racing.otherKindInBody.await(10, TimeUnit.SECONDS)).isTrue();

    redis.engine.invalidate("race", 12L);
    CountDownLatch storeAnswered = new CountDownLatch(1);
    redis.engine.path().store.afterStoreAnswered = storeAnswered::countDown;
    try {
      racing.otherKindRelease.countDown();
      assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(3);
      // the load the table did not hold sent its store, and Redis has answered it
      assertThat(storeAnswered.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      redis.engine.path().store.afterStoreAnswered = null;
    }
    racing.release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v12");
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.engine.flights().size() == 0);
    assertThat(redis.exists("rt:race:12")).as("no store landed after the invalidation").isFalse();
  }

  /** An invalidation while the method still runs stops its store altogether. */
  @Test
  void invalidationWhileLoading_storesNothing() throws Exception {
    racing.inBody = new CountDownLatch(1);
    racing.release = new CountDownLatch(1);
    CompletableFuture<String> loading = CompletableFuture.supplyAsync(() -> load(4), others);
    assertThat(racing.inBody.await(10, TimeUnit.SECONDS)).isTrue();

    redis.engine.invalidate("race", 4L);
    racing.release.countDown();

    assertThat(loading.get(10, TimeUnit.SECONDS)).isEqualTo("v4");
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.engine.flights().size() == 0);
    assertThat(redis.exists("rt:race:4")).isFalse();
  }

  /**
   * A write-through while a load runs: the load's older result must not replace the written value,
   * and a call after the write must not be handed the load's result.
   */
  @Test
  void writeWhileLoading_winsOverTheLoadsResult() throws Exception {
    racing.inBody = new CountDownLatch(1);
    racing.release = new CountDownLatch(1);
    CompletableFuture<String> loading = CompletableFuture.supplyAsync(() -> load(5), others);
    assertThat(racing.inBody.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(racing.write(5, "written")).isEqualTo("written");
    racing.release.countDown();
    assertThat(loading.get(10, TimeUnit.SECONDS)).isEqualTo("v5");

    assertThat(load(5)).isEqualTo("written");
    assertThat(racing.calls).hasValue(1);
  }

  /**
   * A call that found nothing in Redis and then meets another call's load counts once, as shared.
   * 0.1 counted it as a miss and then again as a hit: three outcomes for two calls.
   */
  @Test
  void callThatMissesThenJoinsALoad_countsOneOutcome() throws Exception {
    SingleFlight flights = redis.engine.flights();
    CountDownLatch followerMissed = new CountDownLatch(1);
    CountDownLatch leaderInBody = new CountDownLatch(1);
    racing.inBody = leaderInBody;
    racing.release = new CountDownLatch(1);
    Thread[] follower = new Thread[1];
    flights.beforeClaim =
        () -> {
          if (Thread.currentThread() == follower[0]) {
            followerMissed.countDown();
            try {
              // the follower read Redis and found nothing; the leader now starts its load
              assertThat(leaderInBody.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
          }
        };
    CacheStats before = redis.engine.stats("race");
    CompletableFuture<String> second = new CompletableFuture<>();
    follower[0] = new Thread(() -> second.complete(load(6)));
    follower[0].start();
    assertThat(followerMissed.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> load(6), others);
    assertThat(leaderInBody.await(10, TimeUnit.SECONDS)).isTrue();
    // the follower is now inside lead(): let the leader finish once the follower has joined
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.engine.stats("race").shared() == before.shared() + 1);
    racing.release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v6");
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("v6");
    CacheStats after = redis.engine.stats("race");
    assertThat(racing.calls).hasValue(1);
    assertThat(after.misses() - before.misses()).isEqualTo(1);
    assertThat(after.shared() - before.shared()).isEqualTo(1);
    assertThat(after.hits() - before.hits()).isZero();
    long outcomes =
        after.hits()
            + after.misses()
            + after.shared()
            + after.bypassed()
            - (before.hits() + before.misses() + before.shared() + before.bypassed());
    assertThat(outcomes).as("one outcome per call").isEqualTo(2);
  }

  /** The key of a write-through is formed from the arguments after the method returned. */
  @Test
  void writeThrough_formsItsKeyAfterTheMethodReturned() {
    new Repository().save(new Draft("ann"));
    assertThat(redis.exists("rt:drafts:42")).isTrue();
    assertThat(redis.exists("rt:drafts:0")).isFalse();
  }

  @Test
  void invalidate_formsItsKeyAfterTheMethodReturned() {
    redis.redis.getBucket("rt:drafts:7").set("old");
    redis.redis.getBucket("rt:drafts:0").set("other");
    new Repository().delete(new Draft("x")); // the method sets the id to 7
    assertThat(redis.exists("rt:drafts:7")).isFalse();
    assertThat(redis.exists("rt:drafts:0")).isTrue();
  }

  private String load(long id) {
    try {
      return racing.load(id);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
