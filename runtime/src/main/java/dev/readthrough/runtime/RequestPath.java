package dev.readthrough.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The engine's parts that every plan handles its calls with: the Redis guard, the single-flight
 * table, the TTL rule and the executor of async loads. One per engine; plans keep a reference.
 */
final class RequestPath {

  final ReadThroughConfig config;
  final RedisGuard guard;
  final SingleFlight flights;
  final long timeoutNanos;
  private final Executor asyncExecutor;

  RequestPath(ReadThroughConfig config, RedisGuard guard, SingleFlight flights) {
    this.config = config;
    this.guard = guard;
    this.flights = flights;
    this.timeoutNanos = config.operationTimeout().toNanos();
    this.asyncExecutor = config.asyncExecutor();
  }

  /** Shortens a TTL by up to the configured jitter; never lengthens it. */
  long ttlMillis(long ttlMillis) {
    double jitter = config.ttlJitter();
    if (jitter == 0) {
      return ttlMillis;
    }
    long cut = (long) (ttlMillis * jitter * ThreadLocalRandom.current().nextDouble());
    return Math.max(1, ttlMillis - cut);
  }

  /** Runs an async load on the configured executor; on the calling thread if it refuses. */
  void runAsync(Runnable task) {
    try {
      asyncExecutor.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  Executor asyncExecutor() {
    return asyncExecutor;
  }

  /**
   * Stores the value a leader loaded, following the single-flight protocol: the flight announces
   * the store before it is sent, and finishes once Redis answered. Nothing is stored when the value
   * is not cacheable, Redis is down, a delete of the key is owed, or the flight was superseded.
   *
   * @param wait whether to wait (bounded) for Redis, as under the distributed lock
   */
  void storeLoaded(
      SingleFlight.Flight flight,
      CacheCounters counters,
      MethodEntries entries,
      String key,
      @Nullable Object value,
      long ttlMillis,
      String origin,
      boolean wait) {
    byte[] bytes = entries.encode(counters, value);
    if (bytes == null || !guard.mayUse(key)) {
      flight.finish();
      return;
    }
    CompletableFuture<Void> announced = flight.beginStore();
    if (announced == null) {
      flight.finish();
      return;
    }
    CompletableFuture<Void> sent =
        guard.storeLater(counters, key, bytes, ttlMillis(ttlMillis), origin);
    sent.whenComplete(
        (ok, error) -> {
          announced.complete(null);
          flight.finish();
        });
    if (wait) {
      Futures.awaitQuietly(sent, timeoutNanos);
    }
  }
}
