package dev.readthrough.runtime;

import java.lang.reflect.Method;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything the engine needs to handle calls of one woven method, parsed once from its
 * annotations: what to read or write, under which key, for how long, and what to invalidate.
 */
final class MethodPlan {

  enum Kind {
    READ_THROUGH,
    WRITE_THROUGH,
    INVALIDATE_ONLY
  }

  final Method method;
  final String description;
  final Kind kind;
  final @Nullable String cache;
  final @Nullable KeyTemplate key;
  final long ttlMillis;
  final boolean cacheNulls;
  final boolean optionalReturn;
  final @Nullable ValueCodec codec;
  final @Nullable CacheCounters counters;
  final List<Invalidation> invalidations;

  MethodPlan(
      Method method,
      String description,
      Kind kind,
      @Nullable String cache,
      @Nullable KeyTemplate key,
      long ttlMillis,
      boolean cacheNulls,
      @Nullable ValueCodec codec,
      @Nullable CacheCounters counters,
      List<Invalidation> invalidations) {
    this.method = method;
    this.description = description;
    this.kind = kind;
    this.cache = cache;
    this.key = key;
    this.ttlMillis = ttlMillis;
    this.cacheNulls = cacheNulls;
    this.optionalReturn = method.getReturnType() == java.util.Optional.class;
    this.codec = codec;
    this.counters = counters;
    this.invalidations = List.copyOf(invalidations);
  }

  /** One {@code @Invalidate}: a key of a cache, or all its entries. */
  record Invalidation(String cache, @Nullable KeyTemplate key, String head) {
    boolean allEntries() {
      return key == null;
    }
  }
}
