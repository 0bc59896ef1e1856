package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.CacheStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters of one cache, as the {@link Recorder} of it; {@link CacheStats} is their
 * snapshot.
 */
public final class CacheCounters implements Recorder {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder shared = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder bypassed = new LongAdder();
  private final LongAdder decodeFailures = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder skippedTooLarge = new LongAdder();

  @Override
  public void recordHits(int count) {
    hits.add(count);
  }

  @Override
  public void recordMisses(int count) {
    misses.add(count);
  }

  @Override
  public void recordShared(int count) {
    shared.add(count);
  }

  @Override
  public void recordBypassed(int count) {
    bypassed.add(count);
  }

  @Override
  public void recordRedisError() {
    errors.increment();
  }

  @Override
  public void recordDecodeFailure() {
    errors.increment();
    decodeFailures.increment();
  }

  @Override
  public void recordEncodeFailure() {
    errors.increment();
  }

  @Override
  public void recordTooLarge() {
    skippedTooLarge.increment();
  }

  @Override
  public void recordStores(int count) {
    writes.add(count);
  }

  public CacheStats snapshot() {
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
