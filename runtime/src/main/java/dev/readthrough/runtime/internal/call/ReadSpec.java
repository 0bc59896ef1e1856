package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.internal.codec.MethodEntries;
import dev.readthrough.runtime.internal.near.NearSpec;
import org.jspecify.annotations.Nullable;

/**
 * What every step of a read needs to know of the method whose call it serves: how messages name it,
 * its entries' codec, its cache's recorder, its entries' TTL, and its near tier, if it keeps local
 * copies.
 */
public record ReadSpec(
    String description,
    MethodEntries entries,
    CacheCounters counters,
    long ttlMillis,
    @Nullable NearSpec near) {

  /** A method that keeps no local copies. */
  public ReadSpec(
      String description, MethodEntries entries, CacheCounters counters, long ttlMillis) {
    this(description, entries, counters, ttlMillis, null);
  }
}
