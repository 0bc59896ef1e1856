package dev.readthrough.runtime;

import java.util.concurrent.atomic.LongAdder;

/** The live counters of one cache; {@link CacheStats} is their snapshot. */
final class CacheCounters {
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder shared = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder bypassed = new LongAdder();
  final LongAdder decodeFailures = new LongAdder();
  final LongAdder writes = new LongAdder();
  final LongAdder skippedTooLarge = new LongAdder();

  CacheStats snapshot() {
    return new CacheStats(
        hits.sum(),
        misses.sum(),
        shared.sum(),
        errors.sum(),
        bypassed.sum(),
        decodeFailures.sum(),
        writes.sum(),
        skippedTooLarge.sum());
  }
}
