package dev.readthrough.runtime.internal.resilience;

import dev.readthrough.runtime.ReadThroughEngine;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns whether calls may use Redis, or one shard of a Redis Cluster: after {@code threshold}
 * consecutive failures it opens, and calls stop touching Redis until its own probe finds Redis back
 * and closes it.
 *
 * <p>Opening and probing are one protocol: the one transition from closed to open schedules one
 * probe, and a probe that fails schedules the next one itself (never a fixed-rate task that has to
 * be cancelled). A probe that succeeds closes the breaker as its very last step and schedules
 * nothing; so if failures open the breaker again right after, that opening is again the
 * closed-to-open transition and schedules a fresh probe. No interleaving leaves the breaker open
 * with no probe scheduled, short of the engine closing.
 *
 * <p>That holds even for a probe whose recovery throws, an {@code Error} included: the probe is the
 * only thing that can close the breaker, and what it throws would land only in a scheduled future
 * that nobody reads. So it is logged at ERROR, once per opening, and the next probe is scheduled as
 * after any failed probe. No user method runs in a probe, so no user's {@code Error} is caught
 * here.
 */
public final class CircuitBreaker {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  private final int threshold;
  private final long intervalMillis;
  private final ScheduledExecutorService scheduler;
  private final BooleanSupplier recovery;
  private final Runnable onClosed;
  private final String openedLine;
  private final String closedLine;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicBoolean open = new AtomicBoolean();
  private volatile boolean shutDown;

  /** Whether a probe threw since the breaker last opened; probes run one at a time. */
  private volatile boolean probeThrew;

  /** Test hook: runs in the probe right after it closed the breaker. */
  public volatile @Nullable Runnable afterClosed;

  /**
   * @param recovery run by the probe while open: returns whether Redis answers and everything owed
   *     to it (invalidations that could not be sent) has been delivered
   */
  public CircuitBreaker(
      int threshold,
      long intervalMillis,
      ScheduledExecutorService scheduler,
      BooleanSupplier recovery) {
    this(threshold, intervalMillis, scheduler, recovery, () -> {});
  }

  /**
   * @param onClosed run by the probe right after it closed the breaker, for what arrived between
   *     the recovery and the close
   */
  public CircuitBreaker(
      int threshold,
      long intervalMillis,
      ScheduledExecutorService scheduler,
      BooleanSupplier recovery,
      Runnable onClosed) {
    this(
        threshold,
        intervalMillis,
        scheduler,
        recovery,
        onClosed,
        "Redis is unavailable: cached methods run uncached",
        "Redis answers again: caching resumed");
  }

  /**
   * @param down what is logged (WARN) when it opens; the probe interval follows
   * @param back what is logged (INFO) when its probe closes it
   */
  public CircuitBreaker(
      int threshold,
      long intervalMillis,
      ScheduledExecutorService scheduler,
      BooleanSupplier recovery,
      Runnable onClosed,
      String down,
      String back) {
    this.openedLine = down + "; probing every {} ms";
    this.closedLine = back;
    this.onClosed = onClosed;
    this.threshold = threshold;
    this.intervalMillis = intervalMillis;
    this.scheduler = scheduler;
    this.recovery = recovery;
  }

  /** Whether calls may use Redis now. */
  public boolean isClosed() {
    return !open.get();
  }

  public void recordSuccess() {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
  }

  public void recordFailure() {
    if (consecutiveFailures.incrementAndGet() >= threshold) {
      open();
    }
  }

  /** Opens the breaker now, as when the engine starts while Redis is down. */
  public void open() {
    if (open.compareAndSet(false, true)) {
      LOG.warn(openedLine, intervalMillis);
      schedule();
    }
  }

  private void schedule() {
    if (shutDown) {
      return;
    }
    try {
      scheduler.schedule(this::probe, intervalMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the engine is closing: nothing is left to probe for
    }
  }

  private void probe() {
    if (shutDown) {
      return;
    }
    boolean back;
    try {
      back = recovery.getAsBoolean();
    } catch (RuntimeException | Error e) {
      if (!probeThrew) {
        probeThrew = true;
        LOG.error(
            "The Redis probe failed unexpectedly; probing goes on every {} ms", intervalMillis, e);
      }
      back = false;
    }
    if (!back) {
      schedule();
      return;
    }
    probeThrew = false;
    consecutiveFailures.set(0);
    open.set(false);
    LOG.info(closedLine);
    onClosed.run();
    Runnable hook = afterClosed;
    if (hook != null) {
      hook.run();
    }
  }

  /** Stops probing for good; the engine is closing. */
  public void shutDown() {
    shutDown = true;
  }
}
