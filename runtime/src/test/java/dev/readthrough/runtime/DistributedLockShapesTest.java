package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.ReadThrough;
import dev.readthrough.testing.TestRedis;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The distributed lock is taken on every miss, whatever the shape of the call: the method finds its
 * key's cross-JVM lock held while it runs. Before the fix only sync single-key calls took it.
 */
class DistributedLockShapesTest {

  static RedisFixture redis;

  /** Records, per key, whether its lock was held while the method ran for it. */
  static final class Service {
    final Map<Long, Boolean> lockedWhileLoading = new ConcurrentHashMap<>();

    boolean locked(long id) {
      return redis.redis.getLock("rt-lock:locks:" + id).isLocked();
    }

    @ReadThrough(cache = "locks", key = "id", ttlSeconds = 300)
    String find(long id) {
      lockedWhileLoading.put(id, locked(id));
      return "v" + id;
    }

    @ReadThrough(cache = "locks", key = "id", ttlSeconds = 300)
    CompletableFuture<String> findAsync(long id) {
      lockedWhileLoading.put(id, locked(id));
      return CompletableFuture.completedFuture("v" + id);
    }

    @ReadThrough(cache = "locks", each = "ids", ttlSeconds = 300)
    Map<Long, String> findAll(Collection<Long> ids) {
      return load(ids);
    }

    Map<Long, String> load(Collection<Long> ids) {
      Map<Long, String> found = new LinkedHashMap<>();
      for (long id : ids) {
        lockedWhileLoading.put(id, locked(id));
        found.put(id, "v" + id);
      }
      return found;
    }

    @ReadThrough(cache = "locks", each = "ids", ttlSeconds = 300)
    CompletableFuture<Map<Long, String>> findAllAsync(Collection<Long> ids) {
      return CompletableFuture.completedFuture(load(ids));
    }
  }

  private final Service service = new Service();

  @BeforeAll
  static void startEngine() {
    redis =
        RedisFixture.start(
            ReadThroughConfig.builder()
                .redisUri(TestRedis.uri())
                .operationTimeout(Duration.ofSeconds(2))
                .distributedLock(Duration.ofSeconds(10), Duration.ofSeconds(5)));
  }

  @AfterAll
  static void stopEngine() {
    redis.close();
  }

  @BeforeEach
  void clearKeys() {
    redis.clear();
  }

  @Test
  void syncMiss_holdsTheLock() {
    assertThat(service.find(1)).isEqualTo("v1");
    assertThat(service.lockedWhileLoading).containsEntry(1L, true);
    assertThat(service.locked(1)).as("released after the load").isFalse();
  }

  @Test
  void asyncMiss_holdsTheLock() throws Exception {
    assertThat(service.findAsync(2).get(10, TimeUnit.SECONDS)).isEqualTo("v2");
    assertThat(service.lockedWhileLoading).containsEntry(2L, true);
    assertThat(service.locked(2)).isFalse();
  }

  @Test
  void bulkMiss_holdsEachElementsLock() {
    assertThat(service.findAll(List.of(3L, 4L))).hasSize(2);
    assertThat(service.lockedWhileLoading).containsEntry(3L, true).containsEntry(4L, true);
    assertThat(service.locked(3) || service.locked(4)).isFalse();
  }

  @Test
  void asyncBulkMiss_holdsEachElementsLock() throws Exception {
    assertThat(service.findAllAsync(List.of(5L, 6L)).get(10, TimeUnit.SECONDS)).hasSize(2);
    assertThat(service.lockedWhileLoading).containsEntry(5L, true).containsEntry(6L, true);
  }
}
