package dev.readthrough.runtime.internal.redis;

import dev.readthrough.runtime.internal.call.CacheCounters;
import dev.readthrough.runtime.internal.resilience.CircuitBreaker;
import dev.readthrough.runtime.internal.resilience.InvalidationBacklog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Owns the engine's reads of entries: a GET of one key and the MGETs of many, grouped by shard
 * ({@link Shards}), each failing open through the {@link FailurePolicy} and feeding the breaker of
 * the keys it read. Every read carries the operation timeout as its own response timeout, so none
 * has a timer or a timed wait of its own.
 */
final class Reads {

  private final RedisStore store;
  private final Shards shards;
  private final FailurePolicy policy;
  private final InvalidationBacklog backlog;

  Reads(RedisStore store, Shards shards, FailurePolicy policy, InvalidationBacklog backlog) {
    this.store = store;
    this.shards = shards;
    this.policy = policy;
    this.backlog = backlog;
  }

  /**
   * Whether a call may read or store {@code key} now: the breaker of its shard (outside a Cluster,
   * of all of Redis) is closed and no delete of the key is still owed to Redis.
   */
  boolean mayUse(String key) {
    return mayUse(shards.of(key), key);
  }

  private boolean mayUse(CircuitBreaker breaker, String key) {
    return breaker.isClosed() && !backlog.covers(key);
  }

  /**
   * Reads one key, waiting at most the operation timeout (and {@link RedisGuard#MARGIN}): the GET
   * fails by itself then, so the wait has no timeout of its own. A key that may not be used now
   * ({@link #mayUse}) is {@link RedisGuard#UNAVAILABLE} without a command sent.
   *
   * @return the bytes, {@code null} if the key does not exist, or {@link RedisGuard#UNAVAILABLE}
   */
  byte @Nullable [] read(CacheCounters counters, String key, String origin) {
    CircuitBreaker breaker = shards.of(key);
    if (!mayUse(breaker, key)) {
      return RedisGuard.UNAVAILABLE;
    }
    long start = counters.timed() ? System.nanoTime() : 0;
    try {
      byte[] bytes = FailurePolicy.join(store.getAsync(key));
      breaker.recordSuccess();
      return bytes;
    } catch (FailurePolicy.Failure e) {
      policy.failed(FailurePolicy.Op.READ, breaker, counters, key, origin, e.getCause());
      return RedisGuard.UNAVAILABLE;
    } finally {
      if (start != 0) {
        counters.recordRedisRead(System.nanoTime() - start);
      }
    }
  }

  /**
   * Reads one key without waiting: the future completes within the operation timeout (and {@link
   * RedisGuard#MARGIN}) with the bytes, {@code null} or {@link RedisGuard#UNAVAILABLE}, and never
   * exceptionally; at once, with {@link RedisGuard#UNAVAILABLE}, for a key that may not be used now
   * ({@link #mayUse}). It may complete on a Redisson I/O or timer thread: callers move to their own
   * executor before running anything else.
   */
  CompletableFuture<byte @Nullable []> readAsync(
      CacheCounters counters, String key, String origin) {
    CircuitBreaker breaker = shards.of(key);
    if (!mayUse(breaker, key)) {
      return CompletableFuture.completedFuture(RedisGuard.UNAVAILABLE);
    }
    long start = counters.timed() ? System.nanoTime() : 0;
    return store
        .getAsync(key)
        .handle(
            (bytes, error) -> {
              if (start != 0) {
                counters.recordRedisRead(System.nanoTime() - start);
              }
              if (error != null) {
                policy.failed(
                    FailurePolicy.Op.READ,
                    breaker,
                    counters,
                    key,
                    origin,
                    FailurePolicy.cause(error));
                return RedisGuard.UNAVAILABLE;
              }
              breaker.recordSuccess();
              return bytes;
            });
  }

  /**
   * Reads many keys, one MGET per {@value RedisGuard#BATCH} keys of one shard ({@link Shards}), all
   * sent at once: the call waits about one round trip, and at most the operation timeout (and
   * {@link RedisGuard#MARGIN}), however many batches. The keys of a shard that could not answer are
   * {@link RedisGuard#UNAVAILABLE}; the others are still read.
   *
   * @return the bytes of the keys that exist, {@link RedisGuard#UNAVAILABLE} for the keys of a
   *     shard that could not answer, or {@code null} if no shard could
   */
  @Nullable Map<String, byte[]> readMany(CacheCounters counters, String[] keys, String origin) {
    // each MGET fails by itself at the timeout, and the async read's future never fails
    return readManyAsync(counters, keys, origin).join();
  }

  /** {@link #readMany} without waiting; the future holds {@code null} if Redis could not answer. */
  CompletableFuture<@Nullable Map<String, byte[]>> readManyAsync(
      CacheCounters counters, String[] keys, String origin) {
    long start = counters.timed() ? System.nanoTime() : 0;
    Map<CircuitBreaker, List<String>> groups = shards.group(Arrays.asList(keys));
    List<CompletableFuture<@Nullable Map<String, byte[]>>> parts = new ArrayList<>(groups.size());
    for (Map.Entry<CircuitBreaker, List<String>> group : groups.entrySet()) {
      CircuitBreaker shard = group.getKey();
      List<String> some = group.getValue();
      parts.add(
          readGroupAsync(some)
              .handle(
                  (found, error) -> {
                    if (error != null) {
                      policy.failed(
                          FailurePolicy.Op.READ_MANY,
                          shard,
                          counters,
                          some.size() + " keys",
                          origin,
                          FailurePolicy.cause(error));
                      return null;
                    }
                    shard.recordSuccess();
                    return found;
                  }));
    }
    CompletableFuture<?> all =
        parts.size() == 1
            ? parts.get(0)
            : CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]));
    return all.thenApply(
        done -> {
          if (start != 0) {
            counters.recordRedisRead(System.nanoTime() - start);
          }
          if (parts.size() == 1) {
            return parts.get(0).join();
          }
          Map<String, byte[]> found = new HashMap<>();
          boolean any = false;
          int i = 0;
          for (List<String> some : groups.values()) {
            Map<String, byte[]> part = parts.get(i++).join();
            if (part == null) {
              some.forEach(key -> found.put(key, RedisGuard.UNAVAILABLE));
            } else {
              found.putAll(part);
              any = true;
            }
          }
          return any ? found : null;
        });
  }

  /** Reads the keys of one shard, {@value RedisGuard#BATCH} per MGET, all sent at once. */
  private CompletableFuture<Map<String, byte[]>> readGroupAsync(List<String> keys) {
    if (keys.size() <= RedisGuard.BATCH) {
      return store.getAllAsync(keys.toArray(String[]::new));
    }
    List<CompletableFuture<Map<String, byte[]>>> parts = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += RedisGuard.BATCH) {
      parts.add(
          store.getAllAsync(
              keys.subList(from, Math.min(keys.size(), from + RedisGuard.BATCH))
                  .toArray(String[]::new)));
    }
    return FailurePolicy.allOrFirstFailure(parts)
        .thenApply(
            done -> {
              Map<String, byte[]> found = new HashMap<>();
              parts.forEach(part -> found.putAll(part.join()));
              return found;
            });
  }
}
