package dev.readthrough.runtime;

/**
 * A snapshot of one cache's counters since the engine started.
 *
 * <p>Every call counts exactly one outcome: {@code hits}, {@code misses}, {@code shared} or {@code
 * bypassed} (a bulk call counts one per distinct element). The other counters count operations and
 * entries, not calls.
 *
 * @param hits calls answered from Redis with a usable entry
 * @param misses calls that found no usable entry in Redis and ran the method
 * @param shared calls that neither read Redis to the end nor ran the method: they waited for
 *     another call's load of the same key in this JVM and returned its result
 * @param errors Redis operations that failed or timed out, invalidations asked for while Redis was
 *     known to be down (kept and sent once it answers), entries that could not be decoded, and
 *     results that could not be encoded (returned uncached; too large ones count only in {@code
 *     skippedTooLarge})
 * @param bypassed calls that ran the method without an answer from Redis: known to be down, the
 *     read failed or timed out, or a delete of the key was still owed to it
 * @param decodeFailures entries that were corrupt or written for another type (also in errors)
 * @param writes values handed to Redis for storing
 * @param skippedTooLarge results not stored because they exceeded the maximum value size
 */
public record CacheStats(
    long hits,
    long misses,
    long shared,
    long errors,
    long bypassed,
    long decodeFailures,
    long writes,
    long skippedTooLarge) {

  /** Returns the counters of a cache that has seen no calls. */
  public static CacheStats empty() {
    return new CacheStats(0, 0, 0, 0, 0, 0, 0, 0);
  }
}
