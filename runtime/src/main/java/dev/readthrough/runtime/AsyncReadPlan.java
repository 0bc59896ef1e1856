package dev.readthrough.runtime;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;

/**
 * A {@code @ReadThrough} method that returns a {@code CompletableFuture<T>} or {@code
 * CompletionStage<T>}: it caches the {@code T} its future completes with, in the same entry a
 * synchronous method of the cache returning {@code T} uses, and the calling thread never waits on
 * Redis.
 *
 * <p>The call returns a future at once. A hit completes it with the decoded value; a miss, or Redis
 * failing or silent past the operation timeout, runs the method on the configured async executor
 * (never on a Redisson I/O thread), and the returned future completes as the method's does. The
 * method's exception, thrown or as its future's failure, fails the returned future as that same
 * instance, and nothing is stored. Outcomes are counted as {@link ReadPlan} counts them.
 */
record AsyncReadPlan(
    Method method,
    String description,
    String cache,
    KeyTemplate key,
    long ttlMillis,
    MethodEntries entries,
    CacheCounters counters,
    RequestPath path)
    implements Plan {

  @Override
  public CompletableFuture<@Nullable Object> handle(ProceedingJoinPoint call) {
    CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
    String key = this.key.keyFor(call.getArgs());
    if (path.flights.isRunningHere(key)) {
      // the method calls itself with its own key: run it, sharing nothing, or it waits for itself
      path.runAsync(() -> run(call, key, path.flights.unshared(key, entries.kind()), true, result));
      return result;
    }
    SingleFlight.Flight running = path.flights.joinable(key, entries.kind());
    if (running != null) {
      counters.shared.increment();
      relay(running, result);
      return result;
    }
    if (!path.guard.mayUse(key)) {
      path.runAsync(() -> load(call, key, true, result));
      return result;
    }
    path.guard
        .readAsync(counters, key, description)
        .thenAcceptAsync(
            bytes -> {
              if (bytes == RedisGuard.UNAVAILABLE) {
                load(call, key, true, result);
                return;
              }
              if (bytes != null) {
                Object value = entries.decode(counters, key, bytes);
                if (value != MethodEntries.UNUSABLE) {
                  counters.hits.increment();
                  result.complete(value);
                  return;
                }
              }
              load(call, key, false, result);
            },
            path.asyncExecutor())
        .exceptionally(
            unexpected -> {
              result.completeExceptionally(
                  unexpected); // a fault of the engine's; never leave the caller waiting
              return null;
            });
    return result;
  }

  /** Runs on the async executor: leads or shares the load of {@code key}. */
  private void load(
      ProceedingJoinPoint call,
      String key,
      boolean bypassed,
      CompletableFuture<@Nullable Object> result) {
    SingleFlight.Flight flight = path.flights.lead(key, entries.kind());
    if (!flight.isLeader()) {
      counters.shared.increment();
      relay(flight, result);
      return;
    }
    run(call, key, flight, bypassed, result);
  }

  /** Runs the method as the leader of {@code flight} and completes {@code result} as it does. */
  private void run(
      ProceedingJoinPoint call,
      String key,
      SingleFlight.Flight flight,
      boolean bypassed,
      CompletableFuture<@Nullable Object> result) {
    (bypassed ? counters.bypassed : counters.misses).increment();
    CompletionStage<?> stage;
    flight.enter();
    try {
      stage = (CompletionStage<?>) call.proceed();
      if (stage == null) {
        throw new NullPointerException(description + " returned null instead of a future");
      }
    } catch (Throwable t) {
      flight.fail(t);
      result.completeExceptionally(t);
      return;
    } finally {
      flight.exit();
    }
    stage.whenComplete(
        (value, error) -> {
          if (error != null) {
            Throwable thrown = Futures.cause(error);
            flight.fail(thrown);
            result.completeExceptionally(thrown);
            return;
          }
          flight.succeed(value);
          path.storeLoaded(flight, counters, entries, key, value, ttlMillis, description, false);
          result.complete(value);
        });
  }

  /** Completes {@code result} as another call's load of the key completes. */
  static void relay(SingleFlight.Flight flight, CompletableFuture<@Nullable Object> result) {
    flight
        .outcome()
        .whenComplete(
            (value, error) -> {
              if (error != null) {
                result.completeExceptionally(flight.failure(error));
              } else {
                result.complete(value);
              }
            });
  }

  @Override
  public String keyFor(@Nullable Object[] args) {
    return key.keyFor(args);
  }
}
