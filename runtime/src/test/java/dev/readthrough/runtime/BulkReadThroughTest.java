package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.runtime.internal.redis.RedisGuard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The contract's "Bulk read-through: each" section, line by line, against a real Redis. */
class BulkReadThroughTest extends EngineTest {

  /** Loads users by id, recording what each call of each method was given. */
  static final class Users {
    final List<Object> bulkArguments = new CopyOnWriteArrayList<>();
    final AtomicInteger singleCalls = new AtomicInteger();
    volatile Set<Long> missing = Set.of();
    volatile CountDownLatch inBody = new CountDownLatch(0);
    volatile CountDownLatch release = new CountDownLatch(0);

    @ReadThrough(cache = "bulk", key = "id", ttlSeconds = 300)
    String find(long id) {
      singleCalls.incrementAndGet();
      return "user-" + id;
    }

    @ReadThrough(cache = "bulk", each = "ids", ttlSeconds = 300)
    Map<Long, String> findAll(Collection<Long> ids) throws InterruptedException {
      bulkArguments.add(ids);
      inBody.countDown();
      release.await(10, TimeUnit.SECONDS);
      return load(ids);
    }

    @ReadThrough(cache = "bulk", each = "ids", ttlSeconds = 300)
    Map<Long, String> findList(List<Long> ids) {
      bulkArguments.add(ids);
      return load(ids);
    }

    @ReadThrough(cache = "bulk", each = "ids", ttlSeconds = 300)
    Map<Long, String> findSet(Set<Long> ids) {
      bulkArguments.add(ids);
      return load(ids);
    }

    @ReadThrough(cache = "bulk", each = "ids", ttlSeconds = 300)
    Map<Long, String> findArray(Long[] ids) {
      bulkArguments.add(ids);
      return load(List.of(ids));
    }

    @ReadThrough(cache = "bulkNulls", each = "ids", ttlSeconds = 300, cacheNulls = true)
    Map<Long, String> findRemembered(List<Long> ids) {
      bulkArguments.add(ids);
      return load(ids);
    }

    @ReadThrough(cache = "prices", key = "currency", each = "skus", ttlSeconds = 60)
    Map<String, Integer> prices(String currency, List<String> skus) {
      bulkArguments.add(skus);
      Map<String, Integer> prices = new LinkedHashMap<>();
      skus.forEach(sku -> prices.put(sku, sku.length() * (currency.equals("EUR") ? 1 : 2)));
      return prices;
    }

    @ReadThrough(cache = "bulk", each = "ids", ttlSeconds = 300)
    CompletableFuture<Map<Long, String>> findAllAsync(List<Long> ids) {
      bulkArguments.add(ids);
      return CompletableFuture.supplyAsync(() -> load(ids));
    }

    @ReadThrough(cache = "bulk", each = "ids", ttlSeconds = 300)
    Map<Long, String> failing(List<Long> ids) {
      throw new IllegalStateException("upstream down");
    }

    @Invalidate(cache = "bulk", each = "ids")
    void deleteAll(Set<Long> ids) {}

    private Map<Long, String> load(Collection<Long> ids) {
      Map<Long, String> found = new LinkedHashMap<>();
      for (Long id : ids) {
        if (!missing.contains(id)) {
          found.put(id, "user-" + id);
        }
      }
      return found;
    }
  }

  private final Users users = new Users();
  private final java.util.concurrent.ExecutorService callers =
      java.util.concurrent.Executors.newCachedThreadPool();

  @org.junit.jupiter.api.AfterEach
  void stopCallers() {
    callers.shutdownNow();
  }

  @Test
  void eachElement_isItsOwnEntry_keyedAsTheSingleKeyMethodKeysIt() {
    assertThat(users.findList(List.of(1L, 2L)))
        .containsExactly(Map.entry(1L, "user-1"), Map.entry(2L, "user-2"));
    awaitStored("rt:bulk:1");
    awaitStored("rt:bulk:2");
    assertThat(users.find(1L)).isEqualTo("user-1");
    assertThat(users.singleCalls).as("the single-key method hits the bulk's entry").hasValue(0);

    users.find(3L);
    awaitStored("rt:bulk:3");
    users.bulkArguments.clear();
    assertThat(users.findList(List.of(3L))).containsEntry(3L, "user-3");
    assertThat(users.bulkArguments).as("the bulk method hits the single-key entry").isEmpty();
  }

  @Test
  void otherKeyParts_comeFirst_andTheElementLast() {
    assertThat(users.prices("EUR", List.of("ab", "abc")))
        .containsExactly(Map.entry("ab", 2), Map.entry("abc", 3));
    awaitStored("rt:prices:EUR:ab");
    awaitStored("rt:prices:EUR:abc");
    assertThat(users.prices("USD", List.of("ab"))).containsEntry("ab", 4);
  }

  @Test
  void theMethodIsCalledOnce_withOnlyTheMissedElements_inTheArgumentsOrder() {
    users.findList(List.of(2L));
    awaitStored("rt:bulk:2");
    users.bulkArguments.clear();

    Map<Long, String> result = users.findList(List.of(3L, 2L, 1L));

    assertThat(users.bulkArguments).containsExactly(List.of(3L, 1L));
    assertThat(result)
        .containsExactly(Map.entry(3L, "user-3"), Map.entry(2L, "user-2"), Map.entry(1L, "user-1"));
  }

  @Test
  void theMissedElements_arePassedAsTheDeclaredKind() throws Exception {
    users.findSet(new LinkedHashSet<>(List.of(5L, 4L)));
    users.findArray(new Long[] {7L, 6L});
    users.findAll(List.of(9L, 8L));

    assertThat(users.bulkArguments.get(0))
        .isInstanceOfSatisfying(Set.class, set -> assertThat(set).containsExactly(5L, 4L));
    assertThat((Long[]) users.bulkArguments.get(1)).containsExactly(7L, 6L);
    assertThat(users.bulkArguments.get(2))
        .isInstanceOfSatisfying(List.class, list -> assertThat(list).containsExactly(9L, 8L));
  }

  @Test
  void whenEveryElementHits_theMethodIsNotCalled() {
    users.findList(List.of(1L, 2L));
    awaitStored("rt:bulk:1");
    awaitStored("rt:bulk:2");
    users.bulkArguments.clear();

    assertThat(users.findList(List.of(2L, 1L)))
        .containsExactly(Map.entry(2L, "user-2"), Map.entry(1L, "user-1"));
    assertThat(users.bulkArguments).isEmpty();
    assertThat(redis.engine.stats("bulk").hits()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void duplicateElements_areReadAndLoadedOnce() {
    assertThat(users.findList(List.of(1L, 2L, 1L)))
        .containsExactly(Map.entry(1L, "user-1"), Map.entry(2L, "user-2"));
    assertThat(users.bulkArguments).containsExactly(List.of(1L, 2L));
  }

  @Test
  void anElementTheMethodLeavesOut_isAbsent_andNothingIsStoredForIt() {
    users.missing = Set.of(2L);
    assertThat(users.findList(List.of(1L, 2L))).containsOnlyKeys(1L);
    awaitStored("rt:bulk:1");
    assertThat(redis.exists("rt:bulk:2")).isFalse();

    users.bulkArguments.clear();
    users.findList(List.of(1L, 2L));
    assertThat(users.bulkArguments)
        .as("the absent element is asked for again")
        .containsExactly(List.of(2L));
  }

  @Test
  void withCacheNulls_anAbsenceIsCached_andLaterCallsLeaveItOutWithoutCallingTheMethod() {
    users.missing = Set.of(2L);
    assertThat(users.findRemembered(List.of(1L, 2L))).containsOnlyKeys(1L);
    awaitStored("rt:bulkNulls:2");
    users.bulkArguments.clear();

    assertThat(users.findRemembered(List.of(2L, 1L))).containsOnlyKeys(1L);
    assertThat(users.bulkArguments).isEmpty();
  }

  @Test
  void anElementAnotherCallIsLoading_isWaitedFor_notLoadedAgain() throws Exception {
    users.inBody = new CountDownLatch(1);
    users.release = new CountDownLatch(1);
    CompletableFuture<Map<Long, String>> bulk =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return users.findAll(List.of(1L, 2L));
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            },
            callers); // threads of its own: the common pool may have a single thread on two cores
    assertThat(users.inBody.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<String> single = CompletableFuture.supplyAsync(() -> users.find(1L), callers);
    CompletableFuture<Map<Long, String>> overlapping =
        CompletableFuture.supplyAsync(() -> users.findList(List.of(2L, 3L)), callers);
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.engine.stats("bulk").shared() >= 2);
    users.release.countDown();

    assertThat(single.get(10, TimeUnit.SECONDS)).isEqualTo("user-1");
    assertThat(overlapping.get(10, TimeUnit.SECONDS))
        .containsExactly(Map.entry(2L, "user-2"), Map.entry(3L, "user-3"));
    assertThat(bulk.get(10, TimeUnit.SECONDS)).containsOnlyKeys(1L, 2L);
    assertThat(users.singleCalls).hasValue(0);
    assertThat(users.bulkArguments).containsExactly(List.of(1L, 2L), List.of(3L));
  }

  @Test
  void theMethodsException_propagatesUnchanged_andNothingIsStored() {
    IllegalStateException thrown = null;
    try {
      users.failing(List.of(11L));
    } catch (IllegalStateException e) {
      thrown = e;
    }
    assertThat(thrown).hasMessage("upstream down");
    assertThat(redis.exists("rt:bulk:11")).isFalse();
    assertThatThrownBy(() -> users.failing(List.of(11L))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void invalidateEach_removesEveryElementsEntry() {
    users.findList(List.of(1L, 2L, 3L));
    awaitStored("rt:bulk:1");
    awaitStored("rt:bulk:2");
    awaitStored("rt:bulk:3");

    users.deleteAll(Set.of(1L, 2L));

    assertThat(redis.exists("rt:bulk:1")).isFalse();
    assertThat(redis.exists("rt:bulk:2")).isFalse();
    assertThat(redis.exists("rt:bulk:3")).isTrue();
  }

  @Test
  void asyncBulk_returnsTheMapInTheArgumentsOrder_andStoresEachElement() throws Exception {
    Map<Long, String> result = users.findAllAsync(List.of(21L, 20L)).get(10, TimeUnit.SECONDS);
    assertThat(new ArrayList<>(result.keySet())).containsExactly(21L, 20L);
    awaitStored("rt:bulk:20");
    awaitStored("rt:bulk:21");
    users.bulkArguments.clear();
    assertThat(users.findAllAsync(List.of(20L, 22L)).get(10, TimeUnit.SECONDS))
        .containsOnlyKeys(20L, 22L);
    assertThat(users.bulkArguments).containsExactly(List.of(22L));
  }

  /**
   * An element owed a delete is not read, yet reaches the method in the argument's order. Before
   * the fix, ids [1, 2, 3] with 2 owed a delete reached the method as [1, 3, 2].
   */
  @Test
  void anElementOwedADelete_reachesTheMethodInTheArgumentsOrder() {
    RedisGuard guard = redis.engine.guard();
    guard.backlog().addKey("rt:bulk:", "rt:bulk:32");
    try {
      assertThat(users.findList(List.of(31L, 32L, 33L))).containsOnlyKeys(31L, 32L, 33L);
      assertThat(users.bulkArguments).containsExactly(List.of(31L, 32L, 33L));
    } finally {
      guard.drainSoon();
      await().atMost(Duration.ofSeconds(10)).until(() -> guard.backlog().isEmpty());
    }
  }

  /** Calls itself, inside its own body, for an element it is loading. */
  static final class RecursiveUsers {
    @ReadThrough(cache = "bulkRecursive", each = "ids", ttlSeconds = 300)
    CompletableFuture<Map<Long, String>> findAll(List<Long> ids) {
      Map<Long, String> found = new LinkedHashMap<>();
      for (long id : ids) {
        found.put(id, "user-" + id);
      }
      if (ids.size() > 1) { // the inner call overlaps the outer one's elements
        found.putAll(findAll(List.of(ids.get(1))).join());
      }
      return CompletableFuture.completedFuture(found);
    }
  }

  /**
   * Before the fix the inner call followed the outer call's flight of the element, which waits for
   * the inner call: neither future ever completed.
   */
  @Test
  void anAsyncBulkMethodCallingItselfForItsOwnElement_runsInsteadOfWaitingForItself()
      throws Exception {
    assertThat(new RecursiveUsers().findAll(List.of(41L, 42L)).get(10, TimeUnit.SECONDS))
        .containsOnlyKeys(41L, 42L);
  }
}
