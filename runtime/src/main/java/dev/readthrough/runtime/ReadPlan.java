package dev.readthrough.runtime;

import java.lang.reflect.Method;
import java.util.Optional;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;

/**
 * A synchronous {@code @ReadThrough} method: one key per call; a hit returns the decoded entry, a
 * miss runs the method once per key in this JVM (single-flight) and stores its result after
 * returning it.
 *
 * <p>Each call counts exactly one outcome: a hit (Redis answered with a usable entry), a miss (this
 * call ran the method after Redis had no usable entry), shared (it waited for another call's load
 * of the key) or bypassed (it ran the method without an answer from Redis: down, failing, or a
 * delete of the key still owed).
 */
record ReadPlan(
    Method method,
    String description,
    String cache,
    KeyTemplate key,
    long ttlMillis,
    boolean optionalReturn,
    MethodEntries entries,
    CacheCounters counters,
    RequestPath path)
    implements Plan {

  @Override
  public @Nullable Object handle(ProceedingJoinPoint call) throws Throwable {
    String key = this.key.keyFor(call.getArgs());
    SingleFlight.Flight running = path.flights.joinable(key, entries.kind());
    if (running != null) {
      counters.shared.increment();
      return toResult(running.await());
    }
    boolean bypassed = true;
    RedisGuard guard = path.guard;
    if (guard.mayUse(key)) {
      byte[] bytes = guard.read(counters, key, description);
      if (bytes != RedisGuard.UNAVAILABLE) {
        bypassed = false;
        if (bytes != null) {
          Object value = entries.decode(counters, key, bytes);
          if (value != MethodEntries.UNUSABLE) {
            counters.hits.increment();
            return toResult(value);
          }
        }
      }
    }
    return load(call, key, bypassed);
  }

  private @Nullable Object load(ProceedingJoinPoint call, String key, boolean bypassed)
      throws Throwable {
    SingleFlight.Flight flight = path.flights.lead(key, entries.kind());
    if (!flight.isLeader()) {
      counters.shared.increment();
      return toResult(flight.await());
    }
    RedisGuard guard = path.guard;
    RedisGuard.Lock lock = null;
    try {
      if (path.config.distributedLock() && !bypassed && guard.mayUse(key)) {
        lock = guard.lock(counters, key, description);
        if (lock != null) {
          Object found = reread(key);
          if (found != MethodEntries.UNUSABLE) {
            counters.hits.increment(); // another JVM loaded it while this one waited
            flight.succeed(found);
            flight.finish();
            return toResult(found);
          }
        }
      }
      (bypassed ? counters.bypassed : counters.misses).increment();
      Object result;
      flight.enter();
      try {
        result = call.proceed();
      } finally {
        flight.exit();
      }
      Object value = valueOf(result);
      flight.succeed(value);
      path.storeLoaded(flight, counters, entries, key, value, ttlMillis, description, lock != null);
      return result;
    } catch (Throwable t) {
      flight.fail(t);
      throw t;
    } finally {
      if (lock != null) {
        guard.unlock(counters, lock, key, description);
      }
    }
  }

  /**
   * Reads the key again under the lock: the value, a cached null, or {@link
   * MethodEntries#UNUSABLE}.
   */
  private @Nullable Object reread(String key) {
    byte[] bytes = path.guard.read(counters, key, description);
    if (bytes == null || bytes == RedisGuard.UNAVAILABLE) {
      return MethodEntries.UNUSABLE;
    }
    return entries.decode(counters, key, bytes);
  }

  private @Nullable Object valueOf(@Nullable Object result) {
    if (optionalReturn) {
      return result == null ? null : ((Optional<?>) result).orElse(null);
    }
    return result;
  }

  private @Nullable Object toResult(@Nullable Object value) {
    return optionalReturn ? Optional.ofNullable(value) : value;
  }

  @Override
  public String keyFor(@Nullable Object[] args) {
    return key.keyFor(args);
  }
}
