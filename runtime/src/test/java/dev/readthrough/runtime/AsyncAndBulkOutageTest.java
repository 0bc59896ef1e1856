package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.testing.RedisProcess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Async and bulk calls with Redis frozen, killed and back, against a redis-server of this test's
 * own; and the bulk read's round trips, counted by that server.
 */
class AsyncAndBulkOutageTest {

  static final class Items {
    final List<List<Long>> loads = new CopyOnWriteArrayList<>();
    final List<String> loadThreads = new CopyOnWriteArrayList<>();

    @ReadThrough(cache = "items", key = "id", ttlSeconds = 300)
    CompletableFuture<String> item(long id) {
      loadThreads.add(Thread.currentThread().getName());
      return CompletableFuture.completedFuture("item-" + id);
    }

    @ReadThrough(cache = "items", each = "ids", ttlSeconds = 300)
    Map<Long, String> items(List<Long> ids) {
      loads.add(ids);
      Map<Long, String> found = new LinkedHashMap<>();
      ids.forEach(id -> found.put(id, "item-" + id));
      return found;
    }

    @ReadThrough(cache = "items", each = "ids", ttlSeconds = 300)
    CompletableFuture<Map<Long, String>> itemsAsync(List<Long> ids) {
      return CompletableFuture.completedFuture(items(ids));
    }

    /** As {@link #itemsAsync}, without a second woven call inside. */
    @ReadThrough(cache = "items", each = "ids", ttlSeconds = 300)
    CompletableFuture<Map<Long, String>> itemsAsyncDirect(List<Long> ids) {
      Map<Long, String> found = new LinkedHashMap<>();
      ids.forEach(id -> found.put(id, "item-" + id));
      return CompletableFuture.completedFuture(found);
    }
  }

  private final Items items = new Items();
  private RedisProcess redis;
  private ReadThroughEngine engine;

  @BeforeEach
  void start() {
    redis = RedisProcess.start();
    engine =
        ReadThroughEngine.start(
            ReadThroughConfig.builder()
                .redisUri(redis.uri())
                .operationTimeout(Duration.ofMillis(200))
                .probeInterval(Duration.ofMillis(50))
                .build());
  }

  @AfterEach
  void stop() {
    engine.close();
    redis.thaw();
    redis.close();
  }

  private long commandCalls(String command) {
    String stats = redis.bulkCommand("INFO", "commandstats");
    for (String line : stats.split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":calls=")) {
        return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
      }
    }
    return 0;
  }

  @Test
  void aBulkRead_isOneMget_notOneGetPerElement() {
    items.items(List.of(1L, 2L, 3L));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.command("EXISTS", "rt:items:3").equals(":1"));
    redis.command("CONFIG", "RESETSTAT");

    assertThat(items.items(List.of(1L, 2L, 3L))).hasSize(3);

    assertThat(commandCalls("mget")).isEqualTo(1);
    assertThat(commandCalls("get")).isZero();
    assertThat(items.loads).hasSize(1);
  }

  @Test
  void redisFrozen_theAsyncCallRunsTheMethodOnTheExecutor_andCompletesWithItsResult()
      throws Exception {
    redis.freeze();
    CompletableFuture<String> result = items.item(5);
    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("item-5");
    assertThat(items.loadThreads).hasSize(1);
    assertThat(items.loadThreads.get(0)).doesNotContain("redisson");
    assertThat(engine.stats("items").bypassed()).isEqualTo(1);
  }

  @Test
  void redisFrozen_theBulkMethodIsCalledOnceWithEveryElement() {
    redis.freeze();
    assertThat(items.items(List.of(1L, 2L))).hasSize(2);
    assertThat(items.loads).containsExactly(List.of(1L, 2L));
  }

  /**
   * A bulk call of 5,000 elements sends ten MGETs; with Redis frozen the whole call still waits
   * about one operation timeout, not one per MGET.
   */
  @Test
  void redisFrozen_a5000ElementBulkRead_waitsAboutOneTimeout() throws Exception {
    List<Long> ids = LongStream.range(0, 5_000).boxed().toList();
    // the bulk path once while Redis answers, so that the timed calls do not pay class loading
    items.items(LongStream.range(10_000, 15_000).boxed().toList());
    items
        .itemsAsyncDirect(LongStream.range(20_000, 25_000).boxed().toList())
        .get(10, TimeUnit.SECONDS);
    redis.freeze();

    long start = System.nanoTime();
    assertThat(items.items(ids)).hasSize(5_000);
    Duration sync = Duration.ofNanos(System.nanoTime() - start);
    start = System.nanoTime();
    assertThat(items.itemsAsyncDirect(ids).get(10, TimeUnit.SECONDS)).hasSize(5_000);
    Duration async = Duration.ofNanos(System.nanoTime() - start);

    assertThat(sync).isLessThanOrEqualTo(Bounds.call(Duration.ofMillis(200)));
    assertThat(async).isLessThanOrEqualTo(Bounds.call(Duration.ofMillis(200)));
  }

  /**
   * Async reads are bounded by Redisson's own timer: nothing starts the JDK's delay thread, which
   * outlives the engine and keeps {@code mvn exec:java} waiting 15 s after {@code main} returned.
   */
  @Test
  void redisFrozen_asyncReadsStartNoThreadThatOutlivesTheEngine() throws Exception {
    redis.freeze();
    assertThat(items.item(6).get(10, TimeUnit.SECONDS)).isEqualTo("item-6");
    assertThat(items.itemsAsync(List.of(7L, 8L)).get(10, TimeUnit.SECONDS)).hasSize(2);

    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .doesNotContain("CompletableFutureDelayScheduler");
  }

  @Test
  void redisKilled_asyncAndBulkCallsReturnTheMethodsResult_thenCachingResumes() throws Exception {
    redis.stop();
    for (int i = 0; i < 5; i++) {
      assertThat(items.item(i).get(10, TimeUnit.SECONDS)).isEqualTo("item-" + i);
      assertThat(items.itemsAsync(List.of(10L + i, 20L + i)).get(10, TimeUnit.SECONDS)).hasSize(2);
    }
    assertThat(engine.isRedisAvailable()).isFalse();

    redis.restart();
    await().atMost(Duration.ofSeconds(10)).until(engine::isRedisAvailable);
    items.items(List.of(7L));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.command("EXISTS", "rt:items:7").equals(":1"));
    items.loads.clear();
    assertThat(items.itemsAsync(List.of(7L)).get(10, TimeUnit.SECONDS)).containsEntry(7L, "item-7");
    assertThat(items.loads).isEmpty();
  }
}
