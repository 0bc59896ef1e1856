package dev.readthrough.runtime.internal.redis;

import dev.readthrough.runtime.internal.call.Recorder;
import dev.readthrough.runtime.internal.resilience.CircuitBreaker;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The engine's one failure policy for Redis: for each kind of operation, from the table in {@link
 * Op}, what its failure means — the call's fallback, the error counter, the breaker's input and the
 * rate-limited log line — and the waits that turn a command's failure or silence into a {@link
 * Failure}. {@link RedisGuard}, {@link ClearScan} and {@link Recovery} apply it; nothing else
 * decides what a Redis failure means.
 */
final class FailurePolicy {

  /**
   * The failure table: for each kind of operation, the command named in logs, what the call does
   * instead, whether a failure counts in the cache's {@code errors}, and whether it feeds the
   * breaker. Leases and stores after a miss do not feed it: a Redis that refuses writes (out of
   * memory, say) still serves reads, which do tell whether it is up.
   */
  enum Op {
    READ("GET", "the call runs uncached", true, true),
    READ_MANY("MGET", "the call runs uncached", true, true),
    LEASE("lease (EVAL)", "the method runs, and its result is returned uncached", true, false),
    STORE("store under lease (EVAL)", "the result was returned uncached", true, false),
    RELEASE("lease release (EVAL)", "the lease ends with its TTL", true, false),
    WRITE("SET", "the old entry is removed once Redis answers", true, true),
    DELETE("UNLINK", "the delete is kept and sent once Redis answers", true, true),
    CLEAR("SCAN/UNLINK", "the clear is kept and sent once Redis answers", true, true),
    LOCK("lock", "the method runs without the lock", true, true),
    UNLOCK("unlock", "the lock's lease ends it", true, true),
    REFRESH("reload (SET NX PX, EVAL)", "the entry is kept until its TTL", true, false),
    REPLAY("UNLINK (replay)", "the backlog is kept for the next probe", false, false);

    public final String command;
    public final String fallback;
    public final boolean countsError;
    public final boolean feedsBreaker;

    Op(String command, String fallback, boolean countsError, boolean feedsBreaker) {
      this.command = command;
      this.fallback = fallback;
      this.countsError = countsError;
      this.feedsBreaker = feedsBreaker;
    }
  }

  private final Shards shards;
  private final RateLimitedLog rateLimited;
  private final long timeoutNanos;

  FailurePolicy(Shards shards, RateLimitedLog rateLimited, long timeoutNanos) {
    this.shards = shards;
    this.rateLimited = rateLimited;
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * Counts, feeds the breaker of {@code key}'s shard ({@link Shards#of}) and logs the failure of an
   * operation on one key, as its row of {@link Op} says.
   */
  void failed(Op op, Recorder counters, String key, String origin, @Nullable Throwable error) {
    failed(op, shards.of(key), counters, key, origin, error);
  }

  /**
   * Counts, feeds {@code feeds} (if any) and logs the failure of one operation, as its row of
   * {@link Op} says.
   */
  void failed(
      Op op,
      @Nullable CircuitBreaker feeds,
      Recorder counters,
      String what,
      String origin,
      @Nullable Throwable error) {
    if (op.countsError) {
      counters.recordRedisError();
    }
    if (op.feedsBreaker && feeds != null) {
      feeds.recordFailure();
    }
    rateLimited.warn(
        op.name() + ":" + origin,
        op.command
            + " "
            + what
            + " for "
            + origin
            + " failed ("
            + describe(error)
            + "); "
            + op.fallback);
  }

  String describe(@Nullable Throwable error) {
    if (error instanceof TimeoutException) {
      return "no answer within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms";
    }
    return error == null ? "unknown failure" : RedisStore.safeMessage(error);
  }

  static String describe(List<String> keys) {
    return keys.size() == 1 ? keys.get(0) : keys.size() + " keys";
  }

  static Throwable cause(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException
            || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * Waits for a command the engine sends with its own response timeout ({@link
   * RedissonSettings#commandOptions}): it fails by itself once that passed, so the wait needs none;
   * a plain {@code get()}, as Redisson's own blocking calls wait ({@code CommandAsyncService.get}).
   */
  static <T extends @Nullable Object> @Nullable T join(CompletableFuture<T> future) throws Failure {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new Failure(cause(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new Failure(e);
    }
  }

  /**
   * Waits up to the operation timeout for a command that may have been sent without the engine's
   * response timeout (a store, a lock, an unlock: on a client of the application's, these carry its
   * own timeout and retries). Not on the hit path.
   */
  <T extends @Nullable Object> @Nullable T await(CompletionStage<T> stage) throws Failure {
    return await(stage, timeoutNanos);
  }

  <T extends @Nullable Object> @Nullable T await(CompletionStage<T> stage, long nanos)
      throws Failure {
    CompletableFuture<T> future = stage.toCompletableFuture();
    try {
      return future.get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new Failure(e);
    } catch (ExecutionException e) {
      throw new Failure(cause(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new Failure(e);
    }
  }

  /** One Redis operation that failed, with what went wrong; never leaves this package. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    public Failure(Throwable cause) {
      super(null, cause, false, false);
    }
  }

  /**
   * A future that completes once every one of {@code parts} completed normally, or as soon as one
   * fails, with its failure: a call that cannot use one batch's answer does not wait for the rest.
   */
  static CompletableFuture<Void> allOrFirstFailure(List<? extends CompletableFuture<?>> parts) {
    if (parts.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> all = new CompletableFuture<>();
    AtomicInteger pending = new AtomicInteger(parts.size());
    for (CompletableFuture<?> part : parts) {
      part.whenComplete(
          (value, error) -> {
            if (error != null) {
              all.completeExceptionally(error);
            } else if (pending.decrementAndGet() == 0) {
              all.complete(null);
            }
          });
    }
    return all;
  }
}
