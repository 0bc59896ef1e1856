package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.CacheStats;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The live counters of one cache, as the {@link Recorder} the read path holds for it; {@link
 * CacheStats} is their snapshot, and a metrics binding reads them too. Times, which no counter
 * keeps, go to the cache's {@link Timings} if it has any: only then are they taken at all.
 */
public final class CacheCounters implements Recorder {
  /** Set before the counters are shared (they are published through a concurrent map). */
  private @Nullable Timings timings;

  // a local hit adds to localHits alone, one add on the near tier's hit path: hits are the sum
  private final LongAdder remoteHits = new LongAdder();
  private final LongAdder localHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder shared = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder bypassed = new LongAdder();
  private final LongAdder decodeFailures = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder skippedTooLarge = new LongAdder();
  private final LongAdder unencodable = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder staleServed = new LongAdder();
  private final LongAdder refreshes = new LongAdder();
  private final LongAdder refreshFailures = new LongAdder();

  /** Sends the times recorded from now on to {@code timings}; called before these are shared. */
  public void timeWith(Timings timings) {
    this.timings = timings;
  }

  @Override
  public void recordHits(int count) {
    remoteHits.add(count);
  }

  @Override
  public void recordLocalHits(int count) {
    localHits.add(count);
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
  public void recordUnencodable() {
    unencodable.increment();
  }

  @Override
  public void recordTooLarge() {
    skippedTooLarge.increment();
  }

  @Override
  public void recordStores(int count) {
    writes.add(count);
  }

  @Override
  public void recordEvictions(long count) {
    evictions.add(count);
  }

  @Override
  public void recordStaleServed(int count) {
    staleServed.add(count);
  }

  @Override
  public void recordRefresh(boolean failed) {
    (failed ? refreshFailures : refreshes).increment();
  }

  @Override
  public void recordLoad(long nanos, boolean failed) {
    Timings to = timings;
    if (to != null) {
      to.load(nanos, failed);
    }
  }

  @Override
  public void recordRedisRead(long nanos) {
    Timings to = timings;
    if (to != null) {
      to.redisRead(nanos);
    }
  }

  @Override
  public boolean timed() {
    return timings != null;
  }

  public long hits() {
    return remoteHits.sum() + localHits.sum();
  }

  public long localHits() {
    return localHits.sum();
  }

  public long misses() {
    return misses.sum();
  }

  public long shared() {
    return shared.sum();
  }

  public long bypassed() {
    return bypassed.sum();
  }

  public long errors() {
    return errors.sum();
  }

  public long decodeFailures() {
    return decodeFailures.sum();
  }

  public long writes() {
    return writes.sum();
  }

  public long skippedTooLarge() {
    return skippedTooLarge.sum();
  }

  public long unencodable() {
    return unencodable.sum();
  }

  public long evictions() {
    return evictions.sum();
  }

  public long staleServed() {
    return staleServed.sum();
  }

  public long refreshes() {
    return refreshes.sum();
  }

  public long refreshFailures() {
    return refreshFailures.sum();
  }

  public CacheStats snapshot() {
    long local = localHits.sum(); // first, so that hits are never fewer than the local hits
    return new CacheStats(
        remoteHits.sum() + local,
        misses.sum(),
        shared.sum(),
        errors.sum(),
        bypassed.sum(),
        decodeFailures.sum(),
        writes.sum(),
        skippedTooLarge.sum(),
        unencodable.sum(),
        evictions.sum(),
        local,
        staleServed.sum(),
        refreshes.sum(),
        refreshFailures.sum());
  }
}
