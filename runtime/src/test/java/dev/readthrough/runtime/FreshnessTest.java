package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.runtime.internal.EntryCodec;
import dev.readthrough.runtime.internal.call.RefreshAhead;
import dev.readthrough.runtime.internal.call.Store;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * Refresh-ahead and stale-if-error against the shared test Redis, each line of the contract's
 * "Freshness" section. Entries of a given age are written with the engine's own codec and a stamp
 * in the past, so that no test waits for time to pass; a reload running in the background is held
 * at a latch in the method, so that what happens during it is forced, not hoped for.
 */
class FreshnessTest extends EngineTest {

  static final long TTL = 300_000;
  static final long STALE = 600_000;
  static final long REFRESH_AFTER = 60_000;

  static final class Service {
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean failing;
    volatile boolean throwError;
    volatile CountDownLatch entered = new CountDownLatch(0);
    volatile CountDownLatch release = new CountDownLatch(0);
    final List<Set<Long>> bulkAsked = new ArrayList<>();
    volatile String lastThread = "";

    private String answer(String what, long id) {
      int n = calls.incrementAndGet();
      lastThread = Thread.currentThread().getName();
      entered.countDown();
      try {
        if (!release.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (throwError) {
        throw new AssertionError("an Error, not an Exception");
      }
      if (failing) {
        throw new IllegalStateException("upstream down");
      }
      return what + id + "-v" + n;
    }

    @ReadThrough(key = "id", ttlSeconds = 300, staleIfErrorSeconds = 600, cache = "stale")
    public String stale(long id) {
      return answer("stale-", id);
    }

    @ReadThrough(key = "id", ttlSeconds = 300, staleIfErrorSeconds = 600, cache = "stale")
    public CompletableFuture<String> staleAsync(long id) {
      try {
        return CompletableFuture.completedFuture(answer("stale-", id));
      } catch (IllegalStateException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @ReadThrough(ttlSeconds = 300, staleIfErrorSeconds = 600, cache = "stale", each = "ids")
    public Map<Long, String> staleAll(Set<Long> ids) {
      Map<Long, String> out = new LinkedHashMap<>();
      for (long id : ids) {
        out.put(id, answer("stale-", id));
      }
      return out;
    }

    /** Only the test of the fallback's log line calls it: the line is rate-limited per method. */
    @ReadThrough(key = "id", ttlSeconds = 300, staleIfErrorSeconds = 600, cache = "stale")
    public String staleLogged(long id) {
      return answer("stale-", id);
    }

    @Invalidate(cache = "stale", key = "id")
    public void forget(long id) {}

    @ReadThrough(key = "id", ttlSeconds = 300, refreshAfterSeconds = 60, cache = "refresh")
    public String fresh(long id) {
      return answer("fresh-", id);
    }

    @ReadThrough(key = "id", ttlSeconds = 300, refreshAfterSeconds = 60, cache = "refresh")
    public CompletableFuture<String> freshAsync(long id) {
      return CompletableFuture.completedFuture(answer("fresh-", id));
    }

    @ReadThrough(ttlSeconds = 300, refreshAfterSeconds = 60, cache = "refresh", each = "ids")
    public Map<Long, String> freshAll(Set<Long> ids) {
      synchronized (bulkAsked) {
        bulkAsked.add(Set.copyOf(ids));
      }
      Map<Long, String> out = new LinkedHashMap<>();
      for (long id : ids) {
        out.put(id, answer("fresh-", id));
      }
      return out;
    }

    @ReadThrough(
        key = "id",
        ttlSeconds = 300,
        refreshAfterSeconds = 60,
        localTtlSeconds = 120,
        cache = "near-refresh")
    public String nearFresh(long id) {
      return answer("fresh-", id);
    }

    @WriteThrough(key = "id", cache = "refresh", ttlSeconds = 300)
    public String write(long id, String value) {
      return value;
    }
  }

  final Service service = new Service();
  // callers of their own: the common pool has one thread on a two-core machine, and a leader
  // blocked in the method would keep a follower from ever starting
  private final ExecutorService callers = Executors.newCachedThreadPool();
  RefreshAhead refresh;
  CountDownLatch reloaded;

  @BeforeEach
  void hooks() {
    redis.redis.getKeys().deleteByPattern("rt-refresh:*");
    refresh = redis.engine.path().refresh;
    reloaded = new CountDownLatch(1);
    refresh.afterReload = () -> reloaded.countDown();
  }

  @AfterEach
  void unhook() {
    refresh.afterReload = null;
    refresh.beforeReload = null;
    service.release.countDown();
    callers.shutdownNow();
  }

  // ---- stale-if-error

  @Test
  void storedEntry_isKeptInRedisForTheStaleWindowPastItsTtl() throws Exception {
    long before = System.currentTimeMillis();
    service.stale(1);
    awaitStored("rt:stale:1");
    byte[] entry = redis.bytes("rt:stale:1");
    assertThat(codec("stale").freshUntil(entry)).isBetween(before + TTL, before + TTL + 10_000);
    assertThat(redis.pttl("rt:stale:1"))
        .isGreaterThan(TTL + STALE - 10_000)
        .isLessThanOrEqualTo(TTL + STALE);
  }

  @Test
  void staleEntry_isAMiss_theMethodRuns_andItsValueReplacesTheEntry() throws Exception {
    put("rt:stale:2", staleEntry("stale", "old"));
    assertThat(service.stale(2)).isEqualTo("stale-2-v1");
    assertThat(service.calls).hasValue(1);
    awaitStored("rt:stale:2");
    assertThat(codec("stale").decode(redis.bytes("rt:stale:2"))).isEqualTo("stale-2-v1");
  }

  @Test
  void methodThrows_theStaleValueIsReturned_countedAndLogged_andTheEntryStays() throws Exception {
    byte[] old = staleEntry("stale", "old");
    put("rt:stale:3", old);
    service.failing = true;
    long served = stats("stale").staleServed();
    try (Logs logs = Logs.of("dev.readthrough")) {
      assertThat(service.staleLogged(3)).isEqualTo("old");
      assertThat(logs.at(Level.WARN))
          .anySatisfy(line -> assertThat(line).contains("upstream down", "stale", "rt:stale:3"));
    }
    assertThat(service.calls).hasValue(1);
    assertThat(stats("stale").staleServed()).isEqualTo(served + 1);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Arrays.equals(redis.bytes("rt:stale:3"), old));
    long windowLeft = codec("stale").freshUntil(old) + STALE - System.currentTimeMillis();
    // what is left of its window, not a fresh TTL (Redis's clock may read a few ms apart)
    assertThat(redis.pttl("rt:stale:3")).isPositive().isLessThanOrEqualTo(windowLeft + 1_000);
    // and again: the restored entry still stands in
    assertThat(service.stale(3)).isEqualTo("old");
    assertThat(stats("stale").staleServed()).isEqualTo(served + 2);
  }

  @Test
  void anError_isNeverAnsweredWithStale() throws Exception {
    byte[] old = staleEntry("stale", "old");
    put("rt:stale:4", old);
    service.throwError = true;
    long served = stats("stale").staleServed();
    assertThatThrownBy(() -> service.stale(4)).isInstanceOf(AssertionError.class);
    assertThat(stats("stale").staleServed()).isEqualTo(served);
    // the stale entry is put back for the next call that fails with an Exception
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Arrays.equals(redis.bytes("rt:stale:4"), old));
  }

  @Test
  void noStaleEntry_theExceptionPropagatesUnchanged() {
    service.failing = true;
    assertThatThrownBy(() -> service.stale(5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("upstream down");
  }

  @Test
  void pastTheStaleWindow_theExceptionPropagates() throws Exception {
    long now = System.currentTimeMillis();
    // Redis still holds it (a longer PX than the window), but its window has passed
    put("rt:stale:6", codec("stale").encode("ancient", now - 2_000_000, now - TTL - STALE - 1));
    service.failing = true;
    assertThatThrownBy(() -> service.stale(6)).hasMessage("upstream down");
  }

  @Test
  void invalidate_removesTheStaleEntry() throws Exception {
    put("rt:stale:7", staleEntry("stale", "old"));
    service.forget(7);
    assertThat(redis.bytes("rt:stale:7")).isNull();
    service.failing = true;
    assertThatThrownBy(() -> service.stale(7)).hasMessage("upstream down");
  }

  @Test
  void anotherLoadsLease_carriesTheStaleEntry_forACallThatFailsMeanwhile() throws Exception {
    byte[] old = staleEntry("stale", "old");
    byte[] theirs = Store.leaseOf(Store.newLease(), old); // another JVM's load of the key
    put("rt:stale:8", theirs);
    service.failing = true;
    assertThat(service.stale(8)).isEqualTo("old");
    // this call's load took the key over, as a load does, and put the stale entry back on failing
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Arrays.equals(redis.bytes("rt:stale:8"), old));
  }

  @Test
  void aLoadOfAStaleEntry_leavesItInsideItsLease_whileTheMethodRuns() throws Exception {
    byte[] old = staleEntry("stale", "old");
    put("rt:stale:9", old);
    service.entered = new CountDownLatch(1);
    service.release = new CountDownLatch(1);
    CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> service.stale(9), callers);
    assertThat(service.entered.await(10, TimeUnit.SECONDS)).isTrue();
    byte[] during = redis.bytes("rt:stale:9");
    assertThat(Store.isLease(during)).isTrue();
    assertThat(Store.carried(during)).isEqualTo(old);
    service.release.countDown();
    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("stale-9-v1");
  }

  @Test
  void async_aFailedFuture_isAnsweredWithTheStaleValue() throws Exception {
    put("rt:stale:10", staleEntry("stale", "old"));
    service.failing = true;
    assertThat(service.staleAsync(10).get(10, TimeUnit.SECONDS)).isEqualTo("old");
  }

  @Test
  void bulk_fallsBackOnlyIfEveryElementRunHasAStaleEntry() throws Exception {
    put("rt:stale:11", staleEntry("stale", "old-11"));
    put("rt:stale:12", staleEntry("stale", "old-12"));
    service.failing = true;
    assertThat(service.staleAll(Set.of(11L, 12L)))
        .containsOnly(Map.entry(11L, "old-11"), Map.entry(12L, "old-12"));
    // 13 has none: the call fails as the method did, with no partial map
    assertThatThrownBy(() -> service.staleAll(Set.of(11L, 13L))).hasMessage("upstream down");
  }

  @Test
  void aCallSharingAFailedLoad_getsTheStaleValueToo() throws Exception {
    put("rt:stale:14", staleEntry("stale", "old"));
    service.failing = true;
    service.entered = new CountDownLatch(1);
    service.release = new CountDownLatch(1);
    CompletableFuture<String> leader =
        CompletableFuture.supplyAsync(() -> service.stale(14), callers);
    assertThat(service.entered.await(10, TimeUnit.SECONDS)).isTrue();
    long shared = stats("stale").shared();
    CompletableFuture<String> follower =
        CompletableFuture.supplyAsync(() -> service.stale(14), callers);
    await().atMost(Duration.ofSeconds(5)).until(() -> stats("stale").shared() == shared + 1);
    service.release.countDown();
    assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo("old");
    assertThat(follower.get(10, TimeUnit.SECONDS)).isEqualTo("old");
    assertThat(service.calls).hasValue(1);
  }

  @Test
  void anInvalidationDuringTheLoad_meansTheStaleValueIsNotServed() throws Exception {
    put("rt:stale:15", staleEntry("stale", "old"));
    service.failing = true;
    service.entered = new CountDownLatch(1);
    service.release = new CountDownLatch(1);
    CompletableFuture<String> call =
        CompletableFuture.supplyAsync(() -> service.stale(15), callers);
    assertThat(service.entered.await(10, TimeUnit.SECONDS)).isTrue();
    service.forget(15); // after the read that found the stale entry
    service.release.countDown();
    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("upstream down");
    assertThat(redis.bytes("rt:stale:15")).isNull();
  }

  // ---- refresh-ahead

  @Test
  void agedHit_returnsTheEntryAtOnce_andOneBackgroundReloadStoresAFreshOne() throws Exception {
    byte[] aged = agedEntry("fresh", "aged");
    put("rt:refresh:1", aged);
    service.entered = new CountDownLatch(1);
    service.release = new CountDownLatch(1);
    long refreshes = stats("refresh").refreshes();
    // the hit returns while the reload is held inside the method
    assertThat(service.fresh(1)).isEqualTo("aged");
    assertThat(service.entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(service.lastThread).startsWith("readthrough-refresh-");
    // one per key in this JVM: more hits hand nothing over while it runs
    for (int i = 0; i < 20; i++) {
      assertThat(service.fresh(1)).isEqualTo("aged");
    }
    assertThat(service.calls).hasValue(1);
    long before = System.currentTimeMillis();
    service.release.countDown();
    assertThat(reloaded.await(10, TimeUnit.SECONDS)).isTrue();
    byte[] now = redis.bytes("rt:refresh:1");
    assertThat(codec("fresh").decode(now)).isEqualTo("fresh-1-v1");
    assertThat(codec("fresh").writtenAt(now)).isGreaterThanOrEqualTo(before - 1_000);
    assertThat(redis.pttl("rt:refresh:1")).isGreaterThan(TTL - 10_000);
    assertThat(stats("refresh").refreshes()).isEqualTo(refreshes + 1);
    assertThat(service.fresh(1)).isEqualTo("fresh-1-v1");
    assertThat(service.calls).hasValue(1);
    assertThat(redis.bytes("rt-refresh:refresh:1")).as("the lock is released").isNull();
  }

  @Test
  void aFreshHit_handsNothingOver() throws Exception {
    long now = System.currentTimeMillis();
    put("rt:refresh:2", codec("fresh").encode("young", now - 1_000, now + TTL - 1_000));
    service.release = new CountDownLatch(1); // a reload, had one started, would still be running
    assertThat(service.fresh(2)).isEqualTo("young");
    assertThat(refresh.isReloading("rt:refresh:2")).isFalse();
    assertThat(service.calls).hasValue(0);
  }

  @Test
  void anotherJvmHoldsTheReloadLock_thisJvmReloadsNothing() throws Exception {
    byte[] aged = agedEntry("fresh", "aged");
    put("rt:refresh:3", aged);
    redis
        .redis
        .getBucket("rt-refresh:refresh:3", ByteArrayCodec.INSTANCE)
        .set("theirs".getBytes(), Duration.ofSeconds(30));
    assertThat(service.fresh(3)).isEqualTo("aged");
    assertThat(reloaded.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(service.calls).hasValue(0);
    assertThat(redis.bytes("rt:refresh:3")).isEqualTo(aged);
    assertThat(redis.bytes("rt-refresh:refresh:3")).isEqualTo("theirs".getBytes());
  }

  @Test
  void aFailedReload_neverReachesACaller_andLeavesTheEntry() throws Exception {
    byte[] aged = agedEntry("fresh", "aged");
    put("rt:refresh:4", aged);
    service.failing = true;
    long failures = stats("refresh").refreshFailures();
    try (Logs logs = Logs.of("dev.readthrough")) {
      assertThat(service.fresh(4)).isEqualTo("aged");
      assertThat(reloaded.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(logs.at(Level.WARN))
          .anySatisfy(line -> assertThat(line).contains("reload", "rt:refresh:4", "upstream down"));
    }
    assertThat(stats("refresh").refreshFailures()).isEqualTo(failures + 1);
    assertThat(redis.bytes("rt:refresh:4")).isEqualTo(aged);
  }

  @Test
  void aWriteDuringTheReload_wins() throws Exception {
    put("rt:refresh:5", agedEntry("fresh", "aged"));
    service.entered = new CountDownLatch(1);
    service.release = new CountDownLatch(1);
    assertThat(service.fresh(5)).isEqualTo("aged");
    assertThat(service.entered.await(10, TimeUnit.SECONDS)).isTrue();
    service.write(5, "written"); // after the reload's read, before its store
    service.release.countDown();
    assertThat(reloaded.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(codec("fresh").decode(redis.bytes("rt:refresh:5"))).isEqualTo("written");
  }

  @Test
  void anEntryChangedBetweenTheHitAndTheReload_isNotReloaded() throws Exception {
    put("rt:refresh:6", agedEntry("fresh", "aged"));
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch go = new CountDownLatch(1);
    byte[] other = codec("fresh").encode("other");
    refresh.beforeRead =
        () -> {
          held.countDown();
          try {
            go.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    try {
      assertThat(service.fresh(6)).isEqualTo("aged");
      assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
      put("rt:refresh:6", other); // another client changed it
      go.countDown();
      assertThat(reloaded.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      refresh.beforeRead = null;
    }
    assertThat(service.calls).hasValue(0);
    assertThat(redis.bytes("rt:refresh:6")).isEqualTo(other);
  }

  @Test
  void async_agedHit_reloadsInTheBackground() throws Exception {
    put("rt:refresh:7", agedEntry("fresh", "aged"));
    assertThat(service.freshAsync(7).get(10, TimeUnit.SECONDS)).isEqualTo("aged");
    assertThat(reloaded.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(codec("fresh").decode(redis.bytes("rt:refresh:7"))).isEqualTo("fresh-7-v1");
  }

  @Test
  void bulk_reloadsOnlyTheAgedElements_inOneCall() throws Exception {
    put("rt:refresh:8", agedEntry("fresh", "aged-8"));
    put("rt:refresh:9", agedEntry("fresh", "aged-9"));
    long now = System.currentTimeMillis();
    put("rt:refresh:10", codec("fresh").encode("young-10", now, now + TTL));
    assertThat(service.freshAll(Set.of(8L, 9L, 10L)))
        .containsOnly(Map.entry(8L, "aged-8"), Map.entry(9L, "aged-9"), Map.entry(10L, "young-10"));
    assertThat(reloaded.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(service.bulkAsked).containsExactly(Set.of(8L, 9L));
    assertThat(codec("fresh").decode(redis.bytes("rt:refresh:8"))).asString().startsWith("fresh-8");
    assertThat(codec("fresh").decode(redis.bytes("rt:refresh:10"))).isEqualTo("young-10");
  }

  @Test
  void aLocalCopyEndsAtTheRefreshAge_soThatTheNextReadReachesRedisAndReloads() throws Exception {
    put("rt:near-refresh:1", agedEntry("nearFresh", "aged"));
    long now = System.currentTimeMillis();
    put("rt:near-refresh:99", codec("nearFresh").encode("young", now, now + TTL));
    // a young entry is kept: tracking is armed
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              service.nearFresh(99);
              return redis
                  .engine
                  .nearTiers()
                  .existing("rt:near-refresh:")
                  .holds("rt:near-refresh:99");
            });
    assertThat(service.nearFresh(1)).isEqualTo("aged");
    assertThat(redis.engine.nearTiers().existing("rt:near-refresh:").holds("rt:near-refresh:1"))
        .as("an entry due a reload is not kept locally")
        .isFalse();
    assertThat(reloaded.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(service.calls).hasValue(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> "fresh-1-v1".equals(service.nearFresh(1)));
  }

  // ---- helpers

  CacheStats stats(String cache) {
    return redis.engine.stats(cache);
  }

  void put(String key, byte[] bytes) {
    redis.redis.getBucket(key, ByteArrayCodec.INSTANCE).set(bytes, Duration.ofMillis(TTL + STALE));
  }

  /** An entry past its TTL by 100 s, inside its stale window. */
  static byte[] staleEntry(String method, String value) throws Exception {
    long now = System.currentTimeMillis();
    return codec(method).encode(value, now - TTL - 100_000, now - 100_000);
  }

  /** An entry written twice the refresh age ago, still fresh. */
  static byte[] agedEntry(String method, String value) throws Exception {
    long now = System.currentTimeMillis();
    return codec(method).encode(value, now - 2 * REFRESH_AFTER, now - 2 * REFRESH_AFTER + TTL);
  }

  static EntryCodec codec(String method) throws Exception {
    Method m =
        Arrays.stream(Service.class.getDeclaredMethods())
            .filter(candidate -> candidate.getName().equals(method))
            .findFirst()
            .orElseThrow();
    return EntryCodec.forMethod(m, ReadThroughConfig.builder().build());
  }
}
