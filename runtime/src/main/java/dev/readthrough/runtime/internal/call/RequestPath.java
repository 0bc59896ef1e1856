package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.internal.flight.ReadEpochs;
import dev.readthrough.runtime.internal.flight.SingleFlight;
import dev.readthrough.runtime.internal.near.NearTiers;
import dev.readthrough.runtime.internal.redis.RedisGuard;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read pipeline's steps and the engine's parts that every plan handles its calls with: {@link
 * Lookup}, {@link Decide}, {@link Load}, {@link Store}, {@link RefreshAhead} and the recording seam
 * ({@link Recorder}), over the Redis guard and the single-flight table; the TTL rule; and the one
 * way work leaves a caller's or an I/O thread ({@link #dispatch}). One per engine; plans keep a
 * reference.
 */
public final class RequestPath {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  public final ReadThroughConfig config;
  public final RedisGuard guard;
  public final SingleFlight flights;
  public final ReadEpochs epochs;
  public final Lookup lookup;
  public final Load load;
  public final Store store;
  public final RefreshAhead refresh;
  public final NearTiers near;
  public final long timeoutNanos;
  private final Executor asyncExecutor;
  private final RateLimitedLog log;

  /**
   * Where async work goes when the configured executor refuses it or would run it inline: the
   * method must never fail, hang, or run on a Redisson I/O thread because of the executor.
   */
  private final ExecutorService fallback;

  public RequestPath(ReadThroughConfig config, RedisGuard guard, SingleFlight flights) {
    this(config, guard, flights, new NearTiers(config, () -> null));
  }

  public RequestPath(
      ReadThroughConfig config, RedisGuard guard, SingleFlight flights, NearTiers near) {
    this.config = config;
    this.near = near;
    this.guard = guard;
    this.flights = flights;
    this.epochs = flights.epochs();
    this.lookup = new Lookup(guard);
    this.load = new Load(this);
    this.store = new Store(this);
    this.refresh = new RefreshAhead(this);
    this.timeoutNanos = config.operationTimeout().toNanos();
    this.asyncExecutor = config.asyncExecutor();
    this.log = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(10));
    AtomicInteger threads = new AtomicInteger();
    this.fallback =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "readthrough-async-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Shortens a TTL by up to the configured jitter; never lengthens it. */
  public long ttlMillis(long ttlMillis) {
    double jitter = config.ttlJitter();
    if (jitter == 0) {
      return ttlMillis;
    }
    long cut = (long) (ttlMillis * jitter * ThreadLocalRandom.current().nextDouble());
    return Math.max(1, ttlMillis - cut);
  }

  /**
   * Runs async work (a load, a write after a future) on the configured executor. If it refuses the
   * task, or runs it on the submitting thread (as {@code CallerRunsPolicy} or a direct executor
   * would, and that thread may be a Redisson I/O thread or the caller's), the task runs on the
   * engine's own daemon threads instead, and a rate-limited warning says so.
   */
  public void dispatch(Runnable task) {
    Dispatched dispatched = new Dispatched(task);
    try {
      asyncExecutor.execute(dispatched);
    } catch (RejectedExecutionException e) {
      log.warn(
          "asyncExecutor",
          "asyncExecutor refused a load ("
              + e.getMessage()
              + "); it runs on Readthrough's own thread instead");
      fallback(task);
    } finally {
      dispatched.submitted();
    }
  }

  private void fallback(Runnable task) {
    try {
      fallback.execute(task);
    } catch (RejectedExecutionException closed) {
      Thread thread = new Thread(task, "readthrough-async-closing");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** Shuts the fallback threads down; work already handed to them still runs. */
  public void close() {
    near.close();
    refresh.close();
    fallback.shutdown();
  }

  /** A task that notices being run inline by the executor it was handed to. */
  private final class Dispatched implements Runnable {
    private final Runnable task;
    private final Thread submitter = Thread.currentThread();
    private volatile boolean submitting = true;

    Dispatched(Runnable task) {
      this.task = task;
    }

    void submitted() {
      submitting = false;
    }

    @Override
    public void run() {
      if (submitting && Thread.currentThread() == submitter) {
        log.warn(
            "asyncExecutor-inline",
            "asyncExecutor ran a load on the thread that handed it over; it runs on Readthrough's"
                + " own thread instead");
        fallback(task);
        return;
      }
      task.run();
    }
  }
}
