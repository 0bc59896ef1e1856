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
