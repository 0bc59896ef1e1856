package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.internal.codec.MethodEntries;
import dev.readthrough.runtime.internal.keys.KeyTemplate;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;

/**
 * A {@code @WriteThrough} method: it always runs, then its result is stored under the key its
 * arguments form <em>after</em> it returned (so a {@code save(user)} that assigns the id stores
 * under that id), waiting for Redis up to the operation timeout so that a read right after sees the
 * new value. A write that cannot reach Redis leaves the old entry owed a delete, never in place.
 * Its own {@code @Invalidate}s, if any, run next.
 *
 * @param async whether the method returns a future: the write then happens once it completes
 *     normally, and the returned future completes after the write
 */
public record WritePlan(
    Method method,
    String description,
    String cache,
    KeyTemplate key,
    long ttlMillis,
    boolean optionalReturn,
    MethodEntries entries,
    CacheCounters counters,
    List<Invalidation> invalidations,
    RequestPath path,
    boolean async)
    implements Plan {

  @Override
  public @Nullable Object handle(ProceedingJoinPoint call) throws Throwable {
    Object result = call.proceed();
    if (!async) {
      write(call.getArgs(), valueOf(result));
      return result;
    }
    CompletionStage<?> stage = (CompletionStage<?>) result;
    if (stage == null) {
      return null;
    }
    return Futures.afterNormalCompletion(stage, path, value -> write(call.getArgs(), value));
  }

  private void write(@Nullable Object[] args, @Nullable Object value) {
    String k = key.keyFor(args);
    path.flights.supersede(k);
    long ttl = path.ttlMillis(ttlMillis);
    path.guard.write(
        counters, key.head(), k, entries.encode(counters, value, ttl), ttl, description);
    for (Invalidation invalidation : invalidations) {
      invalidation.run(args, path, description);
    }
  }

  private @Nullable Object valueOf(@Nullable Object result) {
    if (optionalReturn) {
      return result == null ? null : ((Optional<?>) result).orElse(null);
    }
    return result;
  }

  @Override
  public String keyFor(@Nullable Object[] args) {
    return key.keyFor(args);
  }
}
