package dev.readthrough.runtime.internal.call;

/**
 * Where a cache's {@link CacheCounters} hand the times they are given: the timers of a metrics
 * binding. The counts need no such hand-off, since a binding reads them from the counters, as
 * Micrometer's cache binders read a cache's own statistics.
 */
public interface Timings {

  /**
   * The method ran for a miss for {@code nanos}; {@code failed} if it threw or its future failed.
   */
  void load(long nanos, boolean failed);

  /** A GET or MGET answered, failed or timed out after {@code nanos}. */
  void redisRead(long nanos);
}
