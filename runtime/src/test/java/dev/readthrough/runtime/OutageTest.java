package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.testing.RedisProcess;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * What Redis failing does to invalidations, locks and the client, against a redis-server of this
 * test's own that it freezes, kills and restarts.
 */
class OutageTest {

  static final class Catalog {
    final AtomicInteger runs = new AtomicInteger();

    @ReadThrough(cache = "outage", key = "id", ttlSeconds = 300)
    String title(int id) {
      return "title-" + id + "-" + runs.incrementAndGet();
    }
  }

  private final Catalog catalog = new Catalog();
  private RedisProcess redis;
  private ReadThroughEngine engine;

  private void start(UnaryOperator<ReadThroughConfig.Builder> config, String... redisArgs) {
    redis = RedisProcess.start(redisArgs);
    engine =
        ReadThroughEngine.start(
            config
                .apply(
                    ReadThroughConfig.builder()
                        .redisUri(redis.uri())
                        .operationTimeout(Duration.ofMillis(200))
                        .probeInterval(Duration.ofMillis(50)))
                .build());
  }

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
    if (redis != null) {
      redis.thaw();
      redis.close();
    }
  }

  private String cachedTitle(int id) {
    String first = catalog.title(id);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.command("EXISTS", "rt:outage:" + id).equals(":1"));
    return first;
  }

  private void openBreakerWhileFrozen() {
    redis.freeze();
    for (int i = 0; i < 3; i++) {
      catalog.title(1000 + i); // each read times out; the third opens the breaker
    }
    assertThat(engine.isRedisAvailable()).isFalse();
  }

  /**
   * Reads {@code title(id)} once with Redis frozen: the method's own result comes back within the
   * bound, the read is counted as an error, and what failed it was Redisson's response timeout for
   * that GET at the operation timeout, not a wait of the engine's own.
   */
  private void assertAFrozenReadFailsByRedissonsOwnTimeout() {
    cachedTitle(1);
    redis.freeze();
    try (Logs logs = Logs.of(ReadThroughEngine.class.getName())) {
      long start = System.nanoTime();
      String title = catalog.title(2);
      Duration waited = Duration.ofNanos(System.nanoTime() - start);

      assertThat(title).startsWith("title-2-");
      assertThat(waited).isLessThanOrEqualTo(Bounds.call(Duration.ofMillis(200)));
      assertThat(engine.stats("outage").errors()).isEqualTo(1);
      assertThat(logs.at(ch.qos.logback.classic.Level.WARN))
          .singleElement()
          .asString()
          .startsWith("GET rt:outage:2 for ")
          .contains("RedisResponseTimeoutException: Redis server response timeout (200 ms)")
          .contains("after 0 of 0 retry attempts");
    }
  }

  @Test
  void redisFrozen_aReadRunsTheMethodWithinTheBound_failedByRedissonsOwnTimeout() {
    start(c -> c);
    assertAFrozenReadFailsByRedissonsOwnTimeout();
  }

  /**
   * The same with a client of the application's, whose own settings (Redisson's defaults: a 3 s
   * timeout and 4 retries) cannot be changed: the engine's commands carry the operation timeout.
   */
  @Test
  void redisFrozen_withTheApplicationsClient_aReadFailsByRedissonsOwnTimeoutToo() {
    redis = RedisProcess.start();
    Config defaults = new Config();
    defaults.useSingleServer().setAddress(redis.uri());
    RedissonClient client = Redisson.create(defaults);
    try {
      engine =
          ReadThroughEngine.start(
              ReadThroughConfig.builder()
                  .redisson(client)
                  .operationTimeout(Duration.ofMillis(200))
                  .probeInterval(Duration.ofMillis(50))
                  .build());
      assertAFrozenReadFailsByRedissonsOwnTimeout();
    } finally {
      engine.close();
      engine = null;
      redis.thaw();
      client.shutdown();
    }
  }

  /**
   * An invalidation made while Redis is known to be down is kept and sent once it answers, before
   * caching resumes. 0.1 dropped it: after the thaw the old entry was served until its TTL.
   */
  @Test
  void invalidationWhileRedisDown_isSentBeforeCachingResumes() {
    start(c -> c);
    String old = cachedTitle(1);
    openBreakerWhileFrozen();

    engine.invalidate("outage", 1);
    assertThat(engine.guard().backlog().covers("rt:outage:1")).isTrue();
    redis.thaw();

    await().atMost(Duration.ofSeconds(10)).until(engine::isRedisAvailable);
    assertThat(redis.command("EXISTS", "rt:outage:1"))
        .as("deleted before the breaker closed")
        .isEqualTo(":0");
    assertThat(catalog.title(1)).isNotEqualTo(old);
  }

  @Test
  void invalidateAllWhileRedisDown_isSentBeforeCachingResumes() {
    start(c -> c);
    cachedTitle(1);
    cachedTitle(2);
    openBreakerWhileFrozen();

    assertThat(engine.invalidateAll("outage")).isZero();
    redis.thaw();

    await().atMost(Duration.ofSeconds(10)).until(engine::isRedisAvailable);
    assertThat(redis.command("EXISTS", "rt:outage:1")).isEqualTo(":0");
    assertThat(redis.command("EXISTS", "rt:outage:2")).isEqualTo(":0");
  }

  /** Past the bound, the cache whose key did not fit is cleared whole: nothing stale survives. */
  @Test
  void moreInvalidationsThanTheBound_clearTheCacheWhole() {
    start(c -> c.invalidationBacklog(2));
    cachedTitle(1);
    cachedTitle(2);
    cachedTitle(3);
    cachedTitle(4);
    openBreakerWhileFrozen();

    engine.invalidate("outage", 1);
    engine.invalidate("outage", 2);
    engine.invalidate("outage", 3);
    redis.thaw();

    await().atMost(Duration.ofSeconds(10)).until(engine::isRedisAvailable);
    assertThat(redis.command("EXISTS", "rt:outage:4")).as("cleared with its cache").isEqualTo(":0");
  }

  /** A delete that times out while the breaker is still closed is kept too, and not served. */
  @Test
  void invalidationThatTimesOut_isKept_andTheEntryIsNotServed() {
    start(c -> c.failureThreshold(5));
    String old = cachedTitle(1);
    redis.freeze();
    engine.invalidate("outage", 1);
    assertThat(engine.isRedisAvailable()).as("one failure does not open the breaker").isTrue();
    redis.thaw();

    assertThat(catalog.title(1)).as("an entry owed a delete is not served").isNotEqualTo(old);
    // the breaker stayed closed: the kept delete is drained without waiting for an outage
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.guard().backlog().isEmpty());
    assertThat(redis.command("EXISTS", "rt:outage:1")).isEqualTo(":0");
    String fresh = cachedTitle(1);
    assertThat(catalog.title(1)).as("the key is cached again").isEqualTo(fresh);
  }

  /**
   * A client that was shut down under the engine makes Redisson throw synchronously: calls still
   * return the method's result and invalidations throw nothing. 0.1 let those exceptions through.
   */
  @Test
  void clientShutDownUnderTheEngine_callsRunUncached_andNothingThrows() {
    redis = RedisProcess.start();
    Config plain = new Config();
    plain.useSingleServer().setAddress(redis.uri());
    RedissonClient client = Redisson.create(plain);
    engine = ReadThroughEngine.start(ReadThroughConfig.builder().redisson(client).build());
    cachedTitle(1);
    client.shutdown();

    assertThat(catalog.title(2)).startsWith("title-2-");
    assertThatCode(() -> engine.invalidate("outage", 1)).doesNotThrowAnyException();
    assertThatCode(() -> engine.invalidateAll("outage")).doesNotThrowAnyException();
    assertThat(engine.stats("outage").errors()).isPositive();
  }

  /**
   * Lock commands that fail reach the breaker like any other Redis failure (0.1 only counted them).
   * This server refuses the scripts Redisson's lock runs, and answers everything else; the GET
   * before each lock succeeds, so a threshold of one shows what a single lock failure feeds.
   */
  @Test
  void lockFailures_feedTheBreaker() {
    start(
        c ->
            c.distributedLock(Duration.ofSeconds(5), Duration.ofSeconds(1))
                .failureThreshold(1)
                .probeInterval(Duration.ofMinutes(1)), // no probe closes it again during the test
        "--rename-command",
        "EVAL",
        "",
        "--rename-command",
        "EVALSHA",
        "");
    assertThat(catalog.title(1)).startsWith("title-1");
    assertThat(engine.stats("outage").errors()).isEqualTo(1);
    assertThat(engine.isRedisAvailable()).as("the failed lock opened the breaker").isFalse();
  }
}
