package dev.readthrough.runtime.internal.redis;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.internal.call.CacheCounters;
import dev.readthrough.runtime.internal.resilience.CircuitBreaker;
import dev.readthrough.runtime.internal.resilience.InvalidationBacklog;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Owns the changes of entries that must not be lost: a write-through's store, deletes and clears.
 * What cannot reach Redis is kept in the {@link InvalidationBacklog} and delivered by {@link
 * Recovery} before caching resumes, so that no entry owed a change is served.
 */
final class Changes {

  private final RedisStore store;
  private final long timeoutNanos;
  private final Shards shards;
  private final InvalidationBacklog backlog;
  private final FailurePolicy policy;
  private final Recovery recovery;
  private final RateLimitedLog rateLimited;

  Changes(
      RedisStore store,
      ReadThroughConfig config,
      Shards shards,
      InvalidationBacklog backlog,
      FailurePolicy policy,
      Recovery recovery,
      RateLimitedLog rateLimited) {
    this.store = store;
    this.timeoutNanos = config.operationTimeout().toNanos();
    this.shards = shards;
    this.backlog = backlog;
    this.policy = policy;
    this.recovery = recovery;
    this.rateLimited = rateLimited;
  }

  /**
   * Stores the value a write-through produced and waits for Redis, up to the timeout. If that
   * fails, or Redis is known to be down, the old entry must not outlive the write: its delete is
   * kept in the backlog.
   */
  void write(
      CacheCounters counters,
      String head,
      String key,
      byte @Nullable [] bytes,
      long ttlMillis,
      String origin) {
    CircuitBreaker breaker = shards.of(key);
    if (bytes == null || !breaker.isClosed()) {
      // nothing to store (or no Redis to store it in): the entry written before must still go
      deleteMany(counters, head, List.of(key), origin);
      return;
    }
    counters.recordStores(1);
    try {
      policy.await(store.setAsync(key, bytes, ttlMillis));
      breaker.recordSuccess();
    } catch (FailurePolicy.Failure e) {
      policy.failed(FailurePolicy.Op.WRITE, counters, key, origin, e.getCause());
      backlog.addKey(head, key);
      recovery.drainSoon();
    }
  }

  /**
   * Deletes keys, {@value RedisGuard#BATCH} per UNLINK, all sent at once: the call waits about one
   * round trip, and at most the operation timeout (and {@link RedisGuard#MARGIN}). The keys of a
   * batch that could not be sent are kept in the backlog.
   */
  void deleteMany(CacheCounters counters, String head, List<String> keys, String origin) {
    if (keys.isEmpty()) {
      return;
    }
    Map<CircuitBreaker, List<String>> groups = shards.group(keys);
    List<CircuitBreaker> sentTo = new ArrayList<>();
    List<List<String>> batches = new ArrayList<>();
    List<CompletableFuture<Long>> sent = new ArrayList<>();
    for (Map.Entry<CircuitBreaker, List<String>> group : groups.entrySet()) {
      List<String> some = group.getValue();
      if (!group.getKey().isClosed()) {
        keepWhileDown(counters, head, some, origin);
        continue;
      }
      for (int from = 0; from < some.size(); from += RedisGuard.BATCH) {
        List<String> batch = some.subList(from, Math.min(some.size(), from + RedisGuard.BATCH));
        batches.add(batch);
        sentTo.add(group.getKey());
        sent.add(store.unlinkAsync(batch.toArray(String[]::new)));
      }
    }
    List<String> kept = new ArrayList<>();
    Map<CircuitBreaker, Throwable> failures = new IdentityHashMap<>();
    long removed = 0;
    for (int i = 0; i < sent.size(); i++) {
      try {
        Long unlinked = FailurePolicy.join(sent.get(i)); // each UNLINK fails by itself in time
        removed += unlinked == null ? 0 : unlinked;
        sentTo.get(i).recordSuccess();
      } catch (FailurePolicy.Failure e) {
        kept.addAll(batches.get(i));
        failures.putIfAbsent(sentTo.get(i), e.getCause());
      }
    }
    if (removed > 0) {
      counters.recordEvictions(removed);
    }
    if (kept.isEmpty()) {
      return;
    }
    for (Map.Entry<CircuitBreaker, Throwable> failure : failures.entrySet()) {
      policy.failed(
          FailurePolicy.Op.DELETE,
          failure.getKey(),
          counters,
          FailurePolicy.describe(kept),
          origin,
          failure.getValue());
    }
    kept.forEach(key -> backlog.addKey(head, key));
    recovery.drainSoon();
  }

  /** Keeps the deletes of {@code keys}, whose breaker is open, and says so. */
  private void keepWhileDown(
      CacheCounters counters, String head, List<String> keys, String origin) {
    keys.forEach(key -> backlog.addKey(head, key));
    counters.recordRedisError();
    rateLimited.warn(
        FailurePolicy.Op.DELETE.name() + ":" + head,
        "Redis is down: the delete of "
            + FailurePolicy.describe(keys)
            + " for "
            + origin
            + " is kept and sent once Redis answers");
  }

  /**
   * Removes every key that starts with {@code head}, scanning. The call waits at most the operation
   * timeout (and {@link RedisGuard#MARGIN}); a clear that needs longer (a large keyspace, a slow
   * Redis) is kept in the backlog and finished from there, in the background, and until then no
   * entry under {@code head} is read or stored. A clear that fails is kept the same way.
   *
   * @return how many keys were removed before the call returned
   */
  long clear(CacheCounters counters, String head, String origin) {
    if (!shards.allClosed()) {
      backlog.addHead(head);
      counters.recordRedisError();
      rateLimited.warn(
          FailurePolicy.Op.CLEAR.name() + ":" + head,
          "Redis is down: clearing "
              + head
              + "* for "
              + origin
              + " is kept and sent once Redis answers");
      return 0;
    }
    ClearScan clearing = new ClearScan(store);
    clearing.start(head);
    try {
      // a bounded wait of the guard's own: a clear is many commands one after another, and not
      // on the hit path. Half the margin, so that a SCAN step Redisson fails at the timeout still
      // counts as the failure it is, and the call still returns within the margin.
      long removed =
          clearing.done.get(timeoutNanos + RedisGuard.MARGIN.toNanos() / 2, TimeUnit.NANOSECONDS);
      CircuitBreaker keyless = shards.keyless();
      if (keyless != null) {
        keyless.recordSuccess();
      }
      counters.recordEvictions(removed);
      return removed;
    } catch (TimeoutException e) {
      clearing.done.cancel(false); // stops after the command under way; the backlog goes on
      backlog.addHead(head);
      recovery.drainSoon();
      rateLimited.warn(
          FailurePolicy.Op.CLEAR.name() + ":" + head,
          "Clearing "
              + head
              + "* for "
              + origin
              + " takes longer than "
              + Duration.ofNanos(timeoutNanos).toMillis()
              + " ms; it is kept and finished in the background, and the cache is not used"
              + " until then");
      long removed = clearing.removed.get();
      counters.recordEvictions(removed);
      return removed;
    } catch (ExecutionException e) {
      policy.failed(
          FailurePolicy.Op.CLEAR,
          shards.keyless(),
          counters,
          head + "*",
          origin,
          FailurePolicy.cause(e));
      backlog.addHead(head);
      recovery.drainSoon();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clearing.done.cancel(false);
      backlog.addHead(head);
      recovery.drainSoon();
      return clearing.removed.get();
    }
  }
}
