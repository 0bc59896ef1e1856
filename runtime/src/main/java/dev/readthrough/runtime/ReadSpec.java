package dev.readthrough.runtime;

/**
 * What every step of a read needs to know of the method whose call it serves: how messages name it,
 * its entries' codec, its cache's recorder and its entries' TTL.
 */
record ReadSpec(
    String description, MethodEntries entries, CacheCounters counters, long ttlMillis) {}
