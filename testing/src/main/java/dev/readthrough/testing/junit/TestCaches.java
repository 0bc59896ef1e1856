package dev.readthrough.testing.junit;

import dev.readthrough.runtime.CacheStats;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.internal.call.Plans;
import dev.readthrough.runtime.internal.call.Store;
import dev.readthrough.runtime.internal.keys.KeyTemplate;
import dev.readthrough.runtime.internal.redis.RedissonSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * What a test's calls did to the caches of a {@link ReadThroughTest} class's engine: the counters
 * since the current test began, assertions on them, and a look into Redis for a stored entry.
 *
 * <p>Inject it as a parameter of a test, lifecycle or constructor method. Its counters start from
 * zero as each test's {@code @BeforeEach} methods begin, and again as the test method itself
 * begins, so that a test sees its own calls and not those of its set-up; in {@code @BeforeAll}
 * methods they count from the engine's start.
 *
 * <pre>{@code
 * @Test
 * void secondFind_isAHit(TestCaches caches) {
 *   users.find(42);
 *   caches.awaitStored("users", 42); // the miss's store is under way when find returns
 *   users.find(42);
 *
 *   caches.assertThat("users").hasMisses(1).hasHits(1);
 * }
 * }</pre>
 */
public final class TestCaches {

  /** How long {@link #awaitLoads()} waits for the loads under way to end. */
  static final Duration LOAD_WAIT = Duration.ofSeconds(10);

  private final ReadThroughEngine engine;
  private volatile Map<String, CacheStats> baseline = Map.of();
  private @Nullable RedissonClient lookups;
  private boolean ownsLookups;

  TestCaches(ReadThroughEngine engine) {
    this.engine = engine;
  }

  /** Returns the engine, which serves every woven method of this JVM while the class runs. */
  public ReadThroughEngine engine() {
    return engine;
  }

  /** Returns the key prefix of the class, such as {@code rt-test-UserServiceTest-3f9a01c2}. */
  public String keyPrefix() {
    return engine.config().keyPrefix();
  }

  /** Returns the counters of {@code cache} since the current test began. */
  public CacheStats stats(String cache) {
    Objects.requireNonNull(cache, "cache");
    return StatsDelta.between(
        baseline.getOrDefault(cache, CacheStats.empty()), engine.stats(cache));
  }

  /**
   * Returns the counters of every cache with calls since the engine started, since the test began.
   */
  public Map<String, CacheStats> stats() {
    Map<String, CacheStats> before = baseline;
    Map<String, CacheStats> all = new TreeMap<>();
    engine
        .stats()
        .forEach(
            (cache, now) ->
                all.put(
                    cache,
                    StatsDelta.between(before.getOrDefault(cache, CacheStats.empty()), now)));
    return all;
  }

  /** Returns assertions on the counters of {@code cache} since the current test began. */
  public CacheStatsAssert assertThat(String cache) {
    return new CacheStatsAssert(
        stats(cache), "cache \"" + cache + "\" since the test began", engine.stats().keySet());
  }

  /**
   * Returns the Redis key of the entry of {@code cache} whose key parts are {@code parts},
   * formatted as the woven methods and {@link ReadThroughEngine#invalidate} format them, such as
   * {@code rt-test-UserServiceTest-3f9a01c2:users:42}.
   *
   * @throws IllegalArgumentException if the cache name is invalid or a part has no stable text
   */
  public String keyFor(String cache, @Nullable Object... parts) {
    Objects.requireNonNull(cache, "cache");
    if (!Plans.DERIVED_NAME.matcher(cache).matches()) {
      throw new IllegalArgumentException("invalid cache name: \"" + cache + "\"");
    }
    return KeyTemplate.keyFor(keyPrefix() + ":" + cache + ":", parts);
  }

  /**
   * Returns whether Redis holds an entry of {@code cache} for these key parts now.
   *
   * @throws IllegalArgumentException if the cache name is invalid or a part has no stable text
   */
  public boolean isStored(String cache, @Nullable Object... parts) {
    return holdsEntry(keyFor(cache, parts));
  }

  /**
   * Waits until no load is under way in this JVM, up to ten seconds: every call that missed has run
   * its method and Redis has answered its store. A miss returns its result before its entry is
   * stored, and a call for the key until then shares the load's result, counted as {@code shared};
   * a call made after this returns reads Redis.
   *
   * @throws AssertionFailedError if loads are still under way after ten seconds
   */
  public void awaitLoads() {
    awaitLoads(LOAD_WAIT);
  }

  /**
   * Waits as {@link #awaitLoads()} does, then checks that Redis holds the entry of {@code cache}
   * for these key parts, so that the next call for them is a hit.
   *
   * @throws AssertionFailedError if loads are still under way after ten seconds, or no entry was
   *     stored, such as for a result that is not cached (a null without {@code cacheNulls}, or one
   *     too large)
   */
  public void awaitStored(String cache, @Nullable Object... parts) {
    String key = keyFor(cache, parts);
    awaitLoads(LOAD_WAIT);
    if (!holdsEntry(key)) {
      throw new AssertionFailedError("no entry is stored under " + key + ": " + describe(key));
    }
  }

  void awaitLoads(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    int loads;
    while ((loads = engine.loadsInFlight()) > 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionFailedError(
            loads + (loads == 1 ? " load is" : " loads are") + " still under way after " + wait);
      }
      // polling a count that stores answered by Redis lower: there is nothing to wait on instead
      try {
        TimeUnit.MILLISECONDS.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for loads to end", e);
      }
    }
  }

  private String describe(String key) {
    byte[] bytes = read(key);
    if (bytes == null) {
      return "the key does not exist; was the result one that is not cached?";
    }
    return "it holds a load's lease, which no store replaced; was the result one that is not"
        + " cached?";
  }

  private boolean holdsEntry(String key) {
    byte[] bytes = read(key);
    return bytes != null && !Store.isLease(bytes);
  }

  private byte @Nullable [] read(String key) {
    return lookups().<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).get();
  }

  /** A plain Redisson client on the engine's Redis, created on first use. */
  private synchronized RedissonClient lookups() {
    RedissonClient client = lookups;
    if (client == null) {
      ReadThroughConfig config = engine.config();
      RedissonClient given = config.redisson();
      if (given != null) {
        client = given;
      } else {
        client = Redisson.create(RedissonSettings.of(config));
        ownsLookups = true;
      }
      lookups = client;
    }
    return client;
  }

  /** Takes a snapshot of every cache's counters: the zero of what runs next. */
  void zero() {
    baseline = engine.stats();
  }

  /** Shuts the look-up client down, if one was created. */
  synchronized void close() {
    RedissonClient client = lookups;
    lookups = null;
    if (client != null && ownsLookups) {
      client.shutdown();
    }
  }

  @Override
  public String toString() {
    return "TestCaches{keyPrefix=" + keyPrefix() + "}";
  }
}
