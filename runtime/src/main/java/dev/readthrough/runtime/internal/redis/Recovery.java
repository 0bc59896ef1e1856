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
  private final CircuitBreaker breaker;
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
      CircuitBreaker breaker,
      FailurePolicy policy,
      ScheduledExecutorService scheduler,
      ReadThroughConfig config) {
    this.store = store;
    this.backlog = backlog;
    this.breaker = breaker;
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
    if (!breaker.isClosed()) {
      return; // the probe replays the backlog before it closes the breaker
    }
    if (!replay()) {
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
    return replay();
  }

  /**
   * Opens the breaker because Redis cannot be reached at start; {@code problem} is what was logged
   * about it, so that probes log only a different one.
   */
  void unavailable(@Nullable String problem) {
    lastProblem = problem;
    breaker.open();
  }

  /** Sends what the backlog holds; returns whether it is empty now. */
  private boolean replay() {
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
                      engineCounters,
                      head + "*",
                      "the invalidation backlog",
                      e.getCause());
                  return false;
                }
              }
            },
            RedisGuard.BATCH);
    if (delivered) {
      LOG.debug("Invalidation backlog delivered");
    }
    return delivered;
  }
}
