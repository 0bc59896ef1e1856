package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.internal.keys.EachParameter;
import dev.readthrough.runtime.internal.keys.KeyTemplate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One {@code @Invalidate} of a method, carried out after the method returned normally: the entry
 * its arguments name, one entry per element, or every entry of the cache. Each first supersedes the
 * loads under way of what it removes (see {@link
 * dev.readthrough.runtime.internal.flight.SingleFlight}); a delete that cannot reach Redis is kept
 * and sent once it answers (see {@link dev.readthrough.runtime.internal.redis.RedisGuard}).
 */
public sealed interface Invalidation {

  /** Removes what this invalidation names for a call with {@code args}. */
  void run(@Nullable Object[] args, RequestPath path, String origin);

  /** The entry one call's arguments name. */
  record OneKey(String cache, KeyTemplate key, CacheCounters counters) implements Invalidation {
    @Override
    public void run(@Nullable Object[] args, RequestPath path, String origin) {
      String k = key.keyFor(args);
      path.flights.supersede(k);
      path.guard.delete(counters, key.head(), k, origin);
    }
  }

  /** One entry per element of the {@code each} parameter. */
  record EachKey(String cache, KeyTemplate key, EachParameter each, CacheCounters counters)
      implements Invalidation {
    @Override
    public void run(@Nullable Object[] args, RequestPath path, String origin) {
      Set<String> keys = new LinkedHashSet<>(); // distinct, in the argument's order
      for (Object element : each.elements(args)) {
        keys.add(key.keyForElement(args, element));
      }
      keys.forEach(path.flights::supersede);
      path.guard.deleteMany(counters, key.head(), new ArrayList<>(keys), origin);
    }
  }

  /** Every entry of the cache. */
  record AllEntries(String cache, String head, CacheCounters counters) implements Invalidation {
    @Override
    public void run(@Nullable Object[] args, RequestPath path, String origin) {
      clear(path, origin);
    }

    public long clear(RequestPath path, String origin) {
      path.flights.supersedeAll(head);
      return path.guard.clear(counters, head, origin);
    }
  }
}
