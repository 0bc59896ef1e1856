package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.internal.codec.MethodEntries;
import dev.readthrough.runtime.internal.near.NearSpec;
import org.jspecify.annotations.Nullable;

/**
 * What every step of a read needs to know of the method whose call it serves: how messages name it,
 * its entries' codec, its cache's recorder, its entries' TTL, its near tier, if it keeps local
 * copies, and its freshness: the age at which a hit reloads ahead ({@code refreshAfterSeconds}) and
 * how long an entry stays in Redis past its TTL to stand in for a failing method ({@code
 * staleIfErrorSeconds}); zero for none.
 */
public record ReadSpec(
    String description,
    MethodEntries entries,
    CacheCounters counters,
    long ttlMillis,
    @Nullable NearSpec near,
    long refreshAfterMillis,
    long staleMillis) {

  /** A method with no refresh-ahead and no stale-if-error. */
  public ReadSpec(
      String description,
      MethodEntries entries,
      CacheCounters counters,
      long ttlMillis,
      @Nullable NearSpec near) {
    this(description, entries, counters, ttlMillis, near, 0, 0);
  }

  /** A method that keeps no local copies. */
  public ReadSpec(
      String description, MethodEntries entries, CacheCounters counters, long ttlMillis) {
    this(description, entries, counters, ttlMillis, null);
  }

  /** How long Redis keeps an entry fresh for {@code ttlMillis}: that, and the stale window. */
  public long keepMillis(long ttlMillis) {
    return ttlMillis + staleMillis;
  }
}
