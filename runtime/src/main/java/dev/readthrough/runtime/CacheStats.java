package dev.readthrough.runtime;

/**
 * A snapshot of one cache's counters since the engine started.
 *
 * @param hits calls answered from Redis
 * @param misses calls that looked in Redis, found nothing usable and ran the method
 * @param errors Redis operations that failed or timed out, and entries that could not be decoded
 * @param bypassed calls that ran the method without touching Redis because it was known to be down
 * @param decodeFailures entries that were corrupt or written for another type (also in errors)
 * @param writes values handed to Redis for storing
 * @param skippedTooLarge results not stored because they exceeded the maximum value size
 */
public record CacheStats(
    long hits,
    long misses,
    long errors,
    long bypassed,
    long decodeFailures,
    long writes,
    long skippedTooLarge) {

  /** Returns the counters of a cache that has seen no calls. */
  public static CacheStats empty() {
    return new CacheStats(0, 0, 0, 0, 0, 0, 0);
  }
}
