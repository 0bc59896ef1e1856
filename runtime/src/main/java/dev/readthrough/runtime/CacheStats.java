package dev.readthrough.runtime;

/**
 * A snapshot of one cache's counters since the engine started.
 *
 * <p>Every call counts exactly one outcome: {@code hits}, {@code misses}, {@code shared} or {@code
 * bypassed} (a bulk call counts one per distinct element). The other counters count operations and
 * entries, not calls.
 *
 * @param hits calls answered with a usable entry, from Redis or from this JVM's near tier
 * @param misses calls that found no usable entry in Redis and ran the method
 * @param shared calls that neither read Redis to the end nor ran the method: they waited for
 *     another call's load of the same key in this JVM and returned its result
 * @param errors Redis operations that failed or timed out, invalidations asked for while Redis was
 *     known to be down (kept and sent once it answers), and entries that could not be decoded
 * @param bypassed calls that ran the method without an answer from Redis: known to be down, the
 *     read failed or timed out, or a delete of the key was still owed to it
 * @param decodeFailures entries that were corrupt or written for another type (also in errors)
 * @param writes values handed to Redis for storing
 * @param skippedTooLarge results not stored because they exceeded the maximum value size
 * @param unencodable results not stored because their class cannot be encoded (the method's
 *     declared type allowed them, the value's own class is one Kryo cannot write); not errors
 * @param evictions entries an invalidation removed from Redis: by key, by {@code each}, or a whole
 *     cache's, counted when Redis answered the call that removed them
 * @param localHits of the hits, those answered from this JVM's near tier with no Redis call
 * @param staleServed calls (elements, for a bulk call) that missed, whose method threw an
 *     exception, and that returned the key's stale entry instead ({@code staleIfErrorSeconds})
 * @param refreshes background reloads ({@code refreshAfterSeconds}) that stored a fresh entry
 * @param refreshFailures background reloads that failed: the method threw, Redis failed, or the
 *     reload queue was full; the old entry was kept until its TTL, and no caller saw the failure
 */
public record CacheStats(
    long hits,
    long misses,
    long shared,
    long errors,
    long bypassed,
    long decodeFailures,
    long writes,
    long skippedTooLarge,
    long unencodable,
    long evictions,
    long localHits,
    long staleServed,
    long refreshes,
    long refreshFailures) {

  /** The counters as 0.2 had them before refresh-ahead and stale-if-error. */
  public CacheStats(
      long hits,
      long misses,
      long shared,
      long errors,
      long bypassed,
      long decodeFailures,
      long writes,
      long skippedTooLarge,
      long unencodable,
      long evictions,
      long localHits) {
    this(
        hits,
        misses,
        shared,
        errors,
        bypassed,
        decodeFailures,
        writes,
        skippedTooLarge,
        unencodable,
        evictions,
        localHits,
        0,
        0,
        0);
  }

  /** The counters as 0.2 had them before the near tier: no local hits. */
  public CacheStats(
      long hits,
      long misses,
      long shared,
      long errors,
      long bypassed,
      long decodeFailures,
      long writes,
      long skippedTooLarge,
      long unencodable,
      long evictions) {
    this(
        hits,
        misses,
        shared,
        errors,
        bypassed,
        decodeFailures,
        writes,
        skippedTooLarge,
        unencodable,
        evictions,
        0);
  }

  /** The counters as 0.1 had them, with no unencodable values and no evictions. */
  public CacheStats(
      long hits,
      long misses,
      long shared,
      long errors,
      long bypassed,
      long decodeFailures,
      long writes,
      long skippedTooLarge) {
    this(hits, misses, shared, errors, bypassed, decodeFailures, writes, skippedTooLarge, 0, 0);
  }

  /** Returns the counters of a cache that has seen no calls. */
  public static CacheStats empty() {
    return new CacheStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }
}
