package dev.readthrough.runtime.internal.redis;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.internal.call.CacheCounters;
import dev.readthrough.runtime.internal.resilience.CircuitBreaker;
import dev.readthrough.runtime.internal.resilience.InvalidationBacklog;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns getting caching back after Redis failed: the breaker's probe ({@link #recover}), which
 * closes it only once Redis answers and the invalidation backlog is delivered, and the drain that
 * sends what the backlog holds while the breaker is closed.
 */
final class Recovery {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  private final RedisStore store;
  private final InvalidationBacklog backlog;
  private final Shards shards;
  private final FailurePolicy policy;
  private final ScheduledExecutorService scheduler;
  private final ReadThroughConfig config;
  private final CacheCounters engineCounters = new CacheCounters();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  /** What the last failed check said, written only by the start and the probe, in turn. */
  private volatile @Nullable String lastProblem;

  Recovery(
      RedisStore store,
      InvalidationBacklog backlog,
      Shards shards,
      FailurePolicy policy,
      ScheduledExecutorService scheduler,
      ReadThroughConfig config) {
    this.store = store;
    this.backlog = backlog;
    this.shards = shards;
    this.policy = policy;
    this.scheduler = scheduler;
    this.config = config;
  }

  /**
   * Sends what the backlog holds soon, while the breaker is closed: a delete that timed out without
   * opening the breaker, or one kept between the probe's replay and its closing the breaker, must
   * not wait for the next outage. One drain is scheduled at a time; a drain that fails schedules
   * the next, and an open breaker hands the backlog to its probe instead.
   */
  void drainSoon() {
    if (backlog.isEmpty() || !drainScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      scheduler.schedule(this::drain, config.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      drainScheduled.set(false); // the engine is closing
    }
  }

  private void drain() {
    drainScheduled.set(false);
    if (!shards.whole().isClosed()) {
      return; // the probe replays the backlog before it closes the breaker
    }
    List<Shards.Shard> parts = shards.shards();
    if (parts.isEmpty()) {
      if (!replay(key -> true, true)) {
        drainSoon();
      }
      return;
    }
    // in a Cluster, each shard whose breaker is closed gets its own keys; an open one's probe
    // replays them before it closes, and its closing drains again. A kept clear needs every
    // master, so it waits until every breaker is closed.
    boolean delivered = true;
    for (Shards.Shard shard : parts) {
      if (shard.breaker().isClosed()) {
        delivered &= replay(key -> shards.of(key) == shard.breaker(), false);
      }
    }
    if (shards.allClosed()) {
      delivered &= replay(key -> true, true);
    }
    if (!delivered) {
      drainSoon();
    }
  }

  /**
   * Whether Redis answers again and everything the backlog holds has been delivered: the probe
   * closes the breaker only then, so no entry owed a delete is served once caching resumes. What
   * else it throws is the probe's to log ({@link CircuitBreaker}), never swallowed here.
   */
  boolean recover() {
    try {
      store.check();
    } catch (RedisStore.StoreException e) {
      if (store.isClosed()) {
        return false; // the engine closed during this probe: nothing to report
      }
      String problem = String.valueOf(e.getMessage());
      if (!problem.equals(lastProblem)) { // an outage logs what changed, not each probe
        lastProblem = problem;
        LOG.warn("Redis is still unavailable: {}", problem);
      }
      return false;
    }
    lastProblem = null;
    try {
      shards.learn(store.requireClient());
    } catch (RedisStore.StoreException e) {
      return false; // the engine closed during this probe
    }
    return replay(key -> true, true) && backlog.isEmpty();
  }

  /**
   * Whether the Cluster shard of {@code probeKey} answers again and every key of it that the
   * backlog holds has been delivered: the probe of that shard's breaker. It reads {@code probeKey},
   * which lands on one of the shard's slots, through the client: so it reaches whichever node
   * serves that slot now, a promoted replica included. While the breaker for all of Redis is open,
   * its probe comes first.
   */
  boolean recoverShard(String probeKey) {
    if (!shards.whole().isClosed()) {
      return false;
    }
    try {
      FailurePolicy.join(store.getAsync(probeKey)); // fails by itself at the operation timeout
    } catch (FailurePolicy.Failure e) {
      return false;
    }
    CircuitBreaker shard = shards.of(probeKey);
    return replay(key -> shards.of(key) == shard, false);
  }

  /**
   * Opens the breaker because Redis cannot be reached at start; {@code problem} is what was logged
   * about it, so that probes log only a different one.
   */
  void unavailable(@Nullable String problem) {
    lastProblem = problem;
    shards.whole().open();
  }

  /**
   * Sends the keys the backlog holds that {@code which} accepts, and its kept clears if {@code
   * withHeads}; returns whether all of those were delivered.
   */
  private boolean replay(Predicate<String> which, boolean withHeads) {
    boolean delivered =
        backlog.replay(
            new InvalidationBacklog.Sender() {
              @Override
              public boolean unlink(List<String> keys) {
                try {
                  policy.await(store.unlinkAsync(keys.toArray(String[]::new)));
                  return true;
                } catch (FailurePolicy.Failure e) {
                  policy.failed(
                      FailurePolicy.Op.REPLAY,
                      null,
                      engineCounters,
                      FailurePolicy.describe(keys),
                      "the invalidation backlog",
                      e.getCause());
                  return false;
                }
              }

              @Override
              public boolean clear(String head) {
                try {
                  ClearScan.clearNow(store, head);
                  return true;
                } catch (FailurePolicy.Failure e) {
                  policy.failed(
                      FailurePolicy.Op.REPLAY,
                      null,
                      engineCounters,
                      head + "*",
                      "the invalidation backlog",
                      e.getCause());
                  return false;
                }
              }
            },
            RedisGuard.BATCH,
            which,
            withHeads);
    if (delivered) {
      LOG.debug("Invalidation backlog delivered");
    }
    return delivered;
  }
}
