package dev.readthrough.runtime.internal.redis;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.internal.call.CacheCounters;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RLock;

/**
 * Owns the opt-in cross-JVM lock of a key's load ({@code distributedLock}): taking it, waiting for
 * another JVM's load as long as the configured lock wait, and releasing it, each round trip bounded
 * and failing open through the {@link FailurePolicy}.
 */
final class CrossJvmLock {

  private final RedisStore store;
  private final ReadThroughConfig config;
  private final long timeoutNanos;
  private final Shards shards;
  private final FailurePolicy policy;
  private final RateLimitedLog rateLimited;

  CrossJvmLock(
      RedisStore store,
      ReadThroughConfig config,
      Shards shards,
      FailurePolicy policy,
      RateLimitedLog rateLimited) {
    this.store = store;
    this.config = config;
    this.timeoutNanos = config.operationTimeout().toNanos();
    this.shards = shards;
    this.policy = policy;
    this.rateLimited = rateLimited;
  }

  /**
   * Takes the cross-JVM lock of {@code key}, waiting for another JVM's load up to the configured
   * lock wait plus the operation timeout for the round trip.
   *
   * @return the lock, or {@code null} if it was not taken (the method then runs without it)
   */
  RedisGuard.@Nullable Lock lock(CacheCounters counters, String key, String origin) {
    long owner = java.util.concurrent.ThreadLocalRandom.current().nextLong();
    long leaseMillis = config.lockLease().toMillis();
    long waitMillis = config.lockWait().toMillis();
    try {
      RLock lock = store.lock(key);
      // first one round trip, bounded by the operation timeout like every other command: a Redis
      // that is down or hung is found here, not after the whole lock wait
      Boolean acquired =
          policy.await(lock.tryLockAsync(0, leaseMillis, TimeUnit.MILLISECONDS, owner));
      if (!Boolean.TRUE.equals(acquired)) {
        // another JVM holds it: wait for its load, as long as the configured lock wait
        acquired =
            policy.await(
                lock.tryLockAsync(waitMillis, leaseMillis, TimeUnit.MILLISECONDS, owner),
                TimeUnit.MILLISECONDS.toNanos(waitMillis) + timeoutNanos);
      }
      shards.of(key).recordSuccess();
      if (!Boolean.TRUE.equals(acquired)) {
        rateLimited.warn(
            FailurePolicy.Op.LOCK.name() + ":" + origin,
            "Waited "
                + config.lockWait()
                + " for the lock on "
                + key
                + "; running "
                + origin
                + " without it");
        return null;
      }
      return new RedisGuard.Lock(lock, owner);
    } catch (RedisStore.StoreException | RuntimeException e) {
      policy.failed(FailurePolicy.Op.LOCK, counters, key, origin, e);
      return null;
    } catch (FailurePolicy.Failure e) {
      policy.failed(FailurePolicy.Op.LOCK, counters, key, origin, e.getCause());
      return null;
    }
  }

  /** Releases a lock taken by {@link #lock}, waiting up to the operation timeout. */
  void unlock(CacheCounters counters, RedisGuard.Lock lock, String key, String origin) {
    try {
      policy.await(lock.lock().unlockAsync(lock.owner()).toCompletableFuture());
      shards.of(key).recordSuccess();
    } catch (RuntimeException e) {
      policy.failed(FailurePolicy.Op.UNLOCK, counters, key, origin, e);
    } catch (FailurePolicy.Failure e) {
      policy.failed(FailurePolicy.Op.UNLOCK, counters, key, origin, e.getCause());
    }
  }
}
