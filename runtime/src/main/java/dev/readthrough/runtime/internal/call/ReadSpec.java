package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.internal.codec.MethodEntries;

/**
 * What every step of a read needs to know of the method whose call it serves: how messages name it,
 * its entries' codec, its cache's recorder and its entries' TTL.
 */
public record ReadSpec(
    String description, MethodEntries entries, CacheCounters counters, long ttlMillis) {}
