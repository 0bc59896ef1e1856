package dev.readthrough.testing.junit;

import dev.readthrough.runtime.CacheStats;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on one cache's {@link CacheStats}: each checks one counter exactly and returns this,
 * so that they chain; a failure names the cache, the counter, both numbers and the whole record.
 *
 * <pre>{@code
 * caches.assertThat("users").hasMisses(1).hasHits(1).hasErrors(0);
 * CacheStatsAssert.assertThat(engine.stats("users")).hasHits(1);
 * }</pre>
 *
 * <p>A failure is an {@link AssertionFailedError} with the expected and actual numbers, which IDEs
 * show side by side.
 */
public final class CacheStatsAssert {

  private final CacheStats stats;
  private final String subject;
  private final @Nullable Set<String> used;

  /**
   * @param subject what the counters are of, to open a failure's message
   * @param used the caches the engine has counted calls of, named by a failure on a cache with no
   *     calls; {@code null} if not known
   */
  CacheStatsAssert(CacheStats stats, String subject, @Nullable Set<String> used) {
    this.stats = Objects.requireNonNull(stats, "stats");
    this.subject = subject;
    this.used = used;
  }

  /** Returns assertions on these counters, such as {@code engine.stats("users")}. */
  public static CacheStatsAssert assertThat(CacheStats stats) {
    return new CacheStatsAssert(stats, "cache stats", null);
  }

  /** Returns the counters under test. */
  public CacheStats stats() {
    return stats;
  }

  /** Asserts how many calls were answered with a usable entry, from Redis or the near tier. */
  public CacheStatsAssert hasHits(long expected) {
    return has("hits", expected, CacheStats::hits);
  }

  /** Asserts how many of the hits came from this JVM's near tier, with no Redis call. */
  public CacheStatsAssert hasLocalHits(long expected) {
    return has("localHits", expected, CacheStats::localHits);
  }

  /** Asserts how many calls fell back on a stale entry after the method threw. */
  public CacheStatsAssert hasStaleServed(long expected) {
    return has("staleServed", expected, CacheStats::staleServed);
  }

  /** Asserts how many background reloads ahead of expiry stored a fresh entry. */
  public CacheStatsAssert hasRefreshes(long expected) {
    return has("refreshes", expected, CacheStats::refreshes);
  }

  /** Asserts how many background reloads ahead of expiry failed. */
  public CacheStatsAssert hasRefreshFailures(long expected) {
    return has("refreshFailures", expected, CacheStats::refreshFailures);
  }

  /** Asserts how many calls found no usable entry and ran the method. */
  public CacheStatsAssert hasMisses(long expected) {
    return has("misses", expected, CacheStats::misses);
  }

  /** Asserts how many calls took the result of another call's load of the same key in this JVM. */
  public CacheStatsAssert hasShared(long expected) {
    return has("shared", expected, CacheStats::shared);
  }

  /** Asserts how many Redis operations failed, and entries or results could not be coded. */
  public CacheStatsAssert hasErrors(long expected) {
    return has("errors", expected, CacheStats::errors);
  }

  /** Asserts how many calls ran the method without an answer from Redis. */
  public CacheStatsAssert hasBypassed(long expected) {
    return has("bypassed", expected, CacheStats::bypassed);
  }

  /** Asserts how many entries were corrupt or written for another type. */
  public CacheStatsAssert hasDecodeFailures(long expected) {
    return has("decodeFailures", expected, CacheStats::decodeFailures);
  }

  /** Asserts how many values were handed to Redis for storing. */
  public CacheStatsAssert hasWrites(long expected) {
    return has("writes", expected, CacheStats::writes);
  }

  /** Asserts how many results were not stored because they exceeded the maximum value size. */
  public CacheStatsAssert hasSkippedTooLarge(long expected) {
    return has("skippedTooLarge", expected, CacheStats::skippedTooLarge);
  }

  /**
   * Asserts how many calls the cache counted: hits, misses, shared and bypassed together, one
   * outcome per call (one per distinct element of a bulk call).
   */
  public CacheStatsAssert hasCalls(long expected) {
    return has("calls", expected, CacheStatsAssert::calls);
  }

  private CacheStatsAssert has(String counter, long expected, ToLongFunction<CacheStats> read) {
    long actual = read.applyAsLong(stats);
    if (actual != expected) {
      String message =
          subject + ": expected " + counter + " " + expected + " but was " + actual + "; " + stats;
      if (calls(stats) == 0) {
        message +=
            "; no call was counted: are the cached methods woven (compiled by ajc with"
                + " readthrough-weaver), and is the cache name right?";
        if (used != null) {
          message +=
              " Caches with calls since the engine started: " + (used.isEmpty() ? "none" : used);
        }
      }
      throw new AssertionFailedError(message, expected, actual);
    }
    return this;
  }

  private static long calls(CacheStats stats) {
    return stats.hits() + stats.misses() + stats.shared() + stats.bypassed();
  }

  @Override
  public String toString() {
    return subject + ": " + stats;
  }
}
