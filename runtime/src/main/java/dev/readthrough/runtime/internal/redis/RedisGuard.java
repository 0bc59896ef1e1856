package dev.readthrough.runtime.internal.redis;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.internal.call.CacheCounters;
import dev.readthrough.runtime.internal.call.Recorder;
import dev.readthrough.runtime.internal.resilience.CircuitBreaker;
import dev.readthrough.runtime.internal.resilience.InvalidationBacklog;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RLock;

/**
 * The one place every Redis operation of the engine goes through: reads, leases and stores, writes,
 * deletes, clears and the lock. What a failure of each means — the call's fallback, the error
 * counter, the breaker's input and the rate-limited log line — is decided by the one {@link
 * FailurePolicy}, from its table; which breaker answers for a key is {@link Shards}'s; the reads
 * are {@link Reads}', and getting caching back after an outage is {@link Recovery}'s.
 *
 * <p>Fail-open lives here and nowhere else: no method of this class throws because of Redis. A read
 * that fails is {@link #UNAVAILABLE} (the call runs the method), a store that fails is only logged,
 * a delete that fails is kept in the {@link InvalidationBacklog} and delivered once Redis answers,
 * before caching resumes. While a key's breaker is open nothing is sent for it: outside a Cluster
 * one breaker serves all of Redis, in one each shard has its own ({@link Shards}).
 *
 * <p>Every wait is bounded by the operation timeout plus {@link #MARGIN}, per call, however many
 * commands the call needs. The engine's reads, deletes and scans carry the operation timeout as
 * their own response timeout ({@link RedissonSettings#commandOptions}): Redisson's timer fails each
 * of them by itself, so a read waits for its future with a plain {@code get()}, without a timer or
 * a timed park of its own, and the commands of one call are sent together and answered (or failed)
 * together. Only waits that are not on the hit path keep a bounded wait of their own: {@link
 * FailurePolicy#await} for commands sent without those options (stores, locks), and {@link #clear},
 * whose SCAN steps follow one another, for the call's share of it.
 */
public final class RedisGuard {

  /** What a read returns when Redis could not answer: compared by identity, never decoded. */
  public static final byte[] UNAVAILABLE = new byte[0];

  /** Keys per MGET, UNLINK and SCAN round trip. */
  public static final int BATCH = 500;

  /**
   * What a call may wait on Redis beyond the operation timeout: Redisson's timer fires a command's
   * timeout on its first tick at or past it ({@link RedissonSettings#TIMER_TICK} on the engine's
   * own client; a client the application hands in ticks as its own settings make it, 10 to 49 ms
   * with Redisson's defaults), and the thread it wakes must then be scheduled.
   */
  public static final Duration MARGIN = Duration.ofMillis(100);

  private final RedisStore store;
  private final LeaseScripts leases;
  private final long timeoutNanos;
  private final CircuitBreaker breaker;
  private final Shards shards;
  private final InvalidationBacklog backlog;
  private final FailurePolicy policy;
  private final Recovery recovery;
  private final Changes changes;
  private final CrossJvmLock locks;
  private final RefreshCommands refreshes;
  private final Reads reads;

  public RedisGuard(
      RedisStore store,
      ReadThroughConfig config,
      ScheduledExecutorService scheduler,
      RateLimitedLog log) {
    this.store = store;
    this.leases = new LeaseScripts(store);
    this.timeoutNanos = config.operationTimeout().toNanos();
    this.backlog = new InvalidationBacklog(config.invalidationBacklog());
    int threshold = config.failureThreshold();
    long intervalMillis = config.probeInterval().toMillis();
    this.breaker =
        new CircuitBreaker(threshold, intervalMillis, scheduler, this::recover, this::drainSoon);
    this.shards =
        new Shards(
            breaker,
            config.keyPrefix(),
            (name, probeKey) ->
                new CircuitBreaker(
                    threshold,
                    intervalMillis,
                    scheduler,
                    () -> recoverShard(probeKey),
                    this::drainSoon,
                    name + " is unavailable: calls on its keys run uncached",
                    name + " answers again: caching of its keys resumed"));
    this.policy = new FailurePolicy(shards, log, timeoutNanos);
    this.recovery = new Recovery(store, backlog, shards, policy, scheduler, config);
    this.changes = new Changes(store, config, shards, backlog, policy, recovery, log);
    this.locks = new CrossJvmLock(store, config, shards, policy, log);
    this.refreshes = new RefreshCommands(store);
    this.reads = new Reads(store, shards, policy, backlog);
  }

  /** The breaker for all of Redis (outside a Cluster, the only one). */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /** The breaker that answers for {@code key}: its shard's in a Cluster. */
  public CircuitBreaker breakerOf(String key) {
    return shards.of(key);
  }

  /**
   * Learns the shards of a Cluster, each with a breaker of its own, now that Redis answered; a
   * no-op outside a Cluster. See {@link Shards}.
   */
  public void connected() {
    try {
      shards.learn(store.requireClient());
    } catch (RedisStore.StoreException e) {
      // not connected after all: the probe that finds Redis learns them
    }
  }

  /** Stops every breaker's probing for good; the engine is closing. */
  public void shutDown() {
    shards.shutDown();
  }

  public InvalidationBacklog backlog() {
    return backlog;
  }

  /** Whether calls may use all of Redis now: every breaker is closed. */
  public boolean isUp() {
    return shards.allClosed();
  }

  /**
   * Whether a call may read or store {@code key} now: the breaker of its shard (outside a Cluster,
   * of all of Redis) is closed and no delete of the key is still owed to Redis.
   */
  public boolean mayUse(String key) {
    return reads.mayUse(key);
  }

  // ---- reads (see Reads)

  /**
   * Reads one key, waiting at most the operation timeout (and {@link #MARGIN}); a key that may not
   * be used now ({@link #mayUse}) is {@link #UNAVAILABLE} without a command sent.
   *
   * @return the bytes, {@code null} if the key does not exist, or {@link #UNAVAILABLE}
   */
  public byte @Nullable [] read(CacheCounters counters, String key, String origin) {
    return reads.read(counters, key, origin);
  }

  /**
   * Reads one key without waiting; see {@link Reads#readAsync}. The future may complete on a
   * Redisson I/O or timer thread, and never exceptionally.
   */
  public CompletableFuture<byte @Nullable []> readAsync(
      CacheCounters counters, String key, String origin) {
    return reads.readAsync(counters, key, origin);
  }

  /**
   * Reads many keys, grouped by shard; see {@link Reads#readMany}.
   *
   * @return the bytes of the keys that exist, {@link #UNAVAILABLE} for the keys of a shard that
   *     could not answer, or {@code null} if no shard could
   */
  public @Nullable Map<String, byte[]> readMany(
      CacheCounters counters, String[] keys, String origin) {
    return reads.readMany(counters, keys, origin);
  }

  /** {@link #readMany} without waiting; the future holds {@code null} if Redis could not answer. */
  public CompletableFuture<@Nullable Map<String, byte[]>> readManyAsync(
      CacheCounters counters, String[] keys, String origin) {
    return reads.readManyAsync(counters, keys, origin);
  }

  // ---- leases and the stores of loads: conditional, so that they never overtake a change

  /**
   * Takes the leases of keys a load is about to run the method for (see {@link
   * dev.readthrough.runtime.internal.call.Store}), waiting until {@code deadlineNanos} ({@link
   * System#nanoTime()}) at most.
   *
   * @param seen per key, the bytes its read found ({@code null}: none)
   * @return per key, {@code null} where the lease was taken, else what the key holds now; or {@code
   *     null} if Redis could not answer, and no lease was taken
   */
  public @Nullable List<byte @Nullable []> lease(
      Recorder counters,
      List<String> keys,
      List<byte @Nullable []> seen,
      List<byte[]> leaseValues,
      long leaseMillis,
      String origin,
      long deadlineNanos) {
    try {
      List<byte @Nullable []> held =
          policy.await(
              leases.leaseAllAsync(keys, seen, leaseValues, leaseMillis),
              Math.max(0, deadlineNanos - System.nanoTime()));
      for (String key : keys) {
        shards.of(key).recordSuccess();
      }
      return held;
    } catch (FailurePolicy.Failure e) {
      policy.failed(
          FailurePolicy.Op.LEASE,
          null,
          counters,
          FailurePolicy.describe(keys),
          origin,
          e.getCause());
      return null;
    }
  }

  /**
   * Stores loaded values under their leases, pipelined, without waiting. The future completes once
   * Redis answered, failed or timed out, and never exceptionally; a value whose lease was gone (an
   * invalidation or a write came first) is silently not stored.
   */
  public CompletableFuture<Void> storeLeased(
      Recorder counters,
      List<String> keys,
      List<byte[]> values,
      List<byte[]> leaseValues,
      long ttlMillis,
      String origin) {
    counters.recordStores(keys.size());
    return leases
        .storeLeasedAllAsync(keys, values, leaseValues, ttlMillis)
        .handle(
            (stored, error) -> {
              if (error != null) {
                policy.failed(
                    FailurePolicy.Op.STORE,
                    null,
                    counters,
                    FailurePolicy.describe(keys),
                    origin,
                    FailurePolicy.cause(error));
              }
              return null;
            });
  }

  /**
   * Ends leases that no store will follow (the method threw, or its value is not cached): each is
   * removed, or replaced by the stale entry given for it, without waiting.
   *
   * @param restore per key, the stale entry to put back, or {@code null} to remove the lease
   * @param restoreMillis per key, how long a restored entry lives
   */
  public void release(
      Recorder counters,
      List<String> keys,
      List<byte[]> leaseValues,
      List<byte @Nullable []> restore,
      List<Long> restoreMillis,
      String origin) {
    leases
        .releaseAllAsync(keys, leaseValues, restore, restoreMillis)
        .whenComplete(
            (released, error) -> {
              if (error != null) {
                policy.failed(
                    FailurePolicy.Op.RELEASE,
                    null,
                    counters,
                    FailurePolicy.describe(keys),
                    origin,
                    FailurePolicy.cause(error));
              }
            });
  }

  // ---- background reloads (refresh-ahead), each command bounded by the operation timeout

  /**
   * Takes the short cross-JVM lock of a reload of {@code key} for {@code lockMillis}.
   *
   * @return whether it was taken; {@code false} if another JVM holds it or Redis did not answer
   */
  public boolean refreshLock(
      Recorder counters, String key, byte[] token, long lockMillis, String origin) {
    try {
      Long taken = policy.await(refreshes.lockAsync(key, token, lockMillis));
      return taken != null && taken == 1;
    } catch (FailurePolicy.Failure e) {
      policy.failed(FailurePolicy.Op.REFRESH, counters, key, origin, e.getCause());
      return false;
    }
  }

  /** Releases a reload's lock if it still holds it; otherwise the lock ends with its TTL. */
  public void refreshUnlock(Recorder counters, String key, byte[] token, String origin) {
    try {
      policy.await(refreshes.unlockAsync(key, token));
    } catch (FailurePolicy.Failure e) {
      policy.failed(FailurePolicy.Op.REFRESH, counters, key, origin, e.getCause());
    }
  }

  /**
   * Replaces the entry a reload read ({@code seen}) by the one it loaded, kept {@code keepMillis},
   * if the key still holds {@code seen}: a write or invalidation since the read wins.
   *
   * @return whether it was replaced; {@code false} if the key changed or Redis did not answer
   */
  public boolean replace(
      Recorder counters, String key, byte[] seen, byte[] entry, long keepMillis, String origin) {
    counters.recordStores(1);
    try {
      Long replaced = policy.await(refreshes.replaceAsync(key, seen, entry, keepMillis));
      return replaced != null && replaced == 1;
    } catch (FailurePolicy.Failure e) {
      policy.failed(FailurePolicy.Op.REFRESH, counters, key, origin, e.getCause());
      return false;
    }
  }

  // ---- writes and deletes that must not be lost (see Changes)

  /**
   * Stores a write-through's value, waiting up to the timeout; what cannot be stored leaves the old
   * entry owed a delete. See {@link Changes#write}.
   */
  public void write(
      CacheCounters counters,
      String head,
      String key,
      byte @Nullable [] bytes,
      long ttlMillis,
      String origin) {
    changes.write(counters, head, key, bytes, ttlMillis, origin);
    copies.changed(head, key);
  }

  /** Deletes a key; what cannot be sent is kept in the backlog. See {@link Changes#deleteMany}. */
  public void delete(CacheCounters counters, String head, String key, String origin) {
    changes.deleteMany(counters, head, List.of(key), origin);
    copies.changed(head, key);
  }

  /** Deletes keys; what cannot be sent is kept in the backlog. See {@link Changes#deleteMany}. */
  public void deleteMany(CacheCounters counters, String head, List<String> keys, String origin) {
    changes.deleteMany(counters, head, keys, origin);
    for (String key : keys) {
      copies.changed(head, key);
    }
  }

  /**
   * Removes every key under {@code head}, its caller held at most the operation timeout. See {@link
   * Changes#clear}.
   *
   * @return how many keys were removed before the call returned
   */
  public long clear(CacheCounters counters, String head, String origin) {
    long removed = changes.clear(counters, head, origin);
    copies.cleared(head);
    return removed;
  }

  /**
   * What holds copies of entries in this JVM and must hear of the changes made through the guard
   * (the near tiers): told after each write, delete and clear, and when the breaker closes again.
   */
  public interface LocalCopies {
    LocalCopies NONE =
        new LocalCopies() {
          @Override
          public void changed(String head, String key) {}

          @Override
          public void cleared(String head) {}

          @Override
          public void reopened() {}
        };

    void changed(String head, String key);

    void cleared(String head);

    void reopened();
  }

  private volatile LocalCopies copies = LocalCopies.NONE;

  /** Tells {@code copies} of every change made through the guard from now on. */
  public void tell(LocalCopies copies) {
    this.copies = copies;
  }

  // ---- the distributed lock (see CrossJvmLock)

  /** A held cross-JVM lock, released with {@link #unlock}. */
  public record Lock(RLock lock, long owner) {}

  /**
   * Takes the cross-JVM lock of {@code key}; see {@link CrossJvmLock#lock}.
   *
   * @return the lock, or {@code null} if it was not taken (the method then runs without it)
   */
  public @Nullable Lock lock(CacheCounters counters, String key, String origin) {
    return locks.lock(counters, key, origin);
  }

  /** Releases a lock taken by {@link #lock}, waiting up to the operation timeout. */
  public void unlock(CacheCounters counters, Lock lock, String key, String origin) {
    locks.unlock(counters, lock, key, origin);
  }

  // ---- recovery (see Recovery)

  /** Sends what the backlog holds soon, while the breaker is closed; see {@link Recovery}. */
  public void drainSoon() {
    copies.reopened();
    recovery.drainSoon();
  }

  /**
   * Whether Redis answers again and the backlog is delivered: the breaker's probe; see {@link
   * Recovery}.
   */
  public boolean recover() {
    return recovery.recover();
  }

  /**
   * Whether the shard of {@code probeKey} answers again: its breaker's probe; see {@link Recovery}.
   */
  private boolean recoverShard(String probeKey) {
    return recovery.recoverShard(probeKey);
  }

  /** Opens the breaker because Redis cannot be reached at start; see {@link Recovery}. */
  public void unavailable(@Nullable String problem) {
    recovery.unavailable(problem);
  }
}
