package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.runtime.internal.call.CacheCounters;
import dev.readthrough.testing.RedisProcess;
import dev.readthrough.testing.SlowProxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls that need many Redis commands (a bulk read of 5,000 entries: ten MGETs; invalidating 5,000
 * entries: ten UNLINKs; clearing a cache: a SCAN of the keyspace) against a Redis that answers
 * every command, but 100 ms late, through a proxy of this test's own: each call waits on Redis at
 * most about one operation timeout, not once per command.
 */
class SlowRedisTest {

  private static final Duration TIMEOUT = Duration.ofMillis(200);

  /** Each reply's delay: under the timeout, so that every command succeeds. */
  private static final Duration LATENCY = Duration.ofMillis(100);

  private static final int ELEMENTS = 5_000;

  static final class Items {
    final List<List<Long>> loads = new CopyOnWriteArrayList<>();

    @ReadThrough(cache = "slow", each = "ids", ttlSeconds = 300)
    Map<Long, String> items(List<Long> ids) {
      loads.add(List.copyOf(ids));
      Map<Long, String> found = new LinkedHashMap<>();
      ids.forEach(id -> found.put(id, "item-" + id));
      return found;
    }
  }

  private final Items items = new Items();
  private final List<Long> ids = LongStream.range(0, ELEMENTS).boxed().toList();
  private RedisProcess redis;
  private SlowProxy proxy;
  private ReadThroughEngine engine;

  @BeforeEach
  void start() {
    redis = RedisProcess.start();
    proxy = SlowProxy.to(redis.port());
    engine =
        ReadThroughEngine.start(
            ReadThroughConfig.builder()
                .redisUri(proxy.uri())
                .operationTimeout(TIMEOUT)
                .probeInterval(Duration.ofMillis(50))
                .build());
    assertThat(engine.isRedisAvailable()).isTrue();
    items.items(ids); // every element misses and is stored
    await().atMost(Duration.ofSeconds(20)).until(() -> keys() == ELEMENTS);
    // each path once while Redis answers at once, so that the timed calls do not pay class loading
    assertThat(items.items(ids)).hasSize(ELEMENTS);
    engine.guard().deleteMany(new CacheCounters(), "rt:other:", List.of("rt:other:1"), "warm-up");
    engine.invalidateAll("other");
    items.loads.clear();
    proxy.delay(LATENCY);
  }

  @AfterEach
  void stop() {
    engine.close();
    proxy.close();
    redis.close();
  }

  private long keys() {
    String reply = redis.command("DBSIZE");
    return Long.parseLong(reply.substring(1));
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void slowRedis_a5000ElementBulkRead_waitsAboutOneRoundTrip_andIsServedFromRedis() {
    long start = System.nanoTime();
    Map<Long, String> found = items.items(ids);
    Duration waited = since(start);

    assertThat(found).hasSize(ELEMENTS).containsEntry(4_999L, "item-4999");
    assertThat(items.loads).as("every element was a hit").isEmpty();
    assertThat(waited).isLessThanOrEqualTo(Bounds.call(TIMEOUT));
  }

  /**
   * The guard's delete of 5,000 keys, as {@code @Invalidate(each = ...)} sends it: ten UNLINKs.
   * (The woven call is not timed here: forming and deduplicating its keys is not a wait on Redis.)
   */
  @Test
  void slowRedis_deleting5000Keys_waitsAboutOneRoundTrip() {
    List<String> keys = ids.stream().map(id -> "rt:slow:" + id).toList();

    long start = System.nanoTime();
    engine.guard().deleteMany(new CacheCounters(), "rt:slow:", keys, "SlowRedisTest");
    Duration waited = since(start);

    assertThat(waited).isLessThanOrEqualTo(Bounds.call(TIMEOUT));
    assertThat(keys()).as("every entry deleted").isZero();
    assertThat(engine.guard().backlog().isEmpty()).as("nothing kept").isTrue();
  }

  /**
   * The clear goes on after the call returned, and until it is done no entry of the cache is
   * served: the cache is owed its clear in the backlog.
   */
  @Test
  void slowRedis_invalidateAll_returnsWithinTheBound_andNoEntryIsServedUntilItIsDone() {
    long start = System.nanoTime();
    engine.invalidateAll("slow");
    Duration waited = since(start);

    assertThat(waited).isLessThanOrEqualTo(Bounds.call(TIMEOUT));
    assertThat(items.items(List.of(1L))).containsEntry(1L, "item-1");
    assertThat(items.loads).as("the entry was not served").containsExactly(List.of(1L));
    await().atMost(Duration.ofSeconds(20)).until(() -> engine.guard().backlog().isEmpty());
    assertThat(redis.command("EXISTS", "rt:slow:0", "rt:slow:2", "rt:slow:4999"))
        .as("the entries removed")
        .isEqualTo(":0");
  }
}
