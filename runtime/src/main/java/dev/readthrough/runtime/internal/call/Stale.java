package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.internal.codec.MethodEntries;
import dev.readthrough.runtime.internal.codec.ValueCodec;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stale-if-error step of a read (RFC 5861's {@code stale-if-error}, for a method): which entry
 * may stand in for a failing method, and serving it.
 *
 * <h2>The window</h2>
 *
 * An entry of a method with {@code staleIfErrorSeconds} is stored with a Redis TTL that much longer
 * than its freshness, which its stamp carries ({@code freshUntil}). A read of it after {@code
 * freshUntil} is a miss ({@link Decide}): the method runs. If the method throws an {@link
 * Exception} (never an {@link Error}), the call returns the stale entry's value instead, counted in
 * {@code staleServed} and logged (rate-limited per cache); with no stale entry at hand, or once the
 * window ({@code freshUntil} plus {@code staleIfErrorSeconds}) has passed, the exception propagates
 * as ever. A bulk call falls back only if every element it ran the method for has a stale entry: it
 * never returns a partial map for a failed call.
 *
 * <h2>Across a load</h2>
 *
 * The load's lease replaces the stale entry in Redis while the method runs, and carries it (see
 * {@link Store}): a call in another JVM that reads the key meanwhile finds the stale entry inside
 * the lease, and can fall back on it too. A load that fails puts the stale entry back in place of
 * its lease, for what is left of its window; a load that succeeds stores its value over it. An
 * invalidation or a write of the key removes both, and a load whose flight such a change superseded
 * never falls back: what the change replaced is not served.
 */
final class Stale {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  private final RateLimitedLog log = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(10));

  /** Whether {@code entry}, a usable entry of the method, is past its freshness. */
  static boolean isStale(ReadSpec spec, byte[] entry, long now) {
    if (spec.staleMillis() == 0) {
      return false;
    }
    long freshUntil = spec.entries().freshUntil(entry);
    return freshUntil != ValueCodec.NEVER && freshUntil <= now;
  }

  /** When the stale window of {@code entry} ends, epoch milliseconds. */
  static long windowEnd(ReadSpec spec, byte[] entry) {
    long freshUntil = spec.entries().freshUntil(entry);
    return freshUntil == ValueCodec.NEVER ? Long.MAX_VALUE : freshUntil + spec.staleMillis();
  }

  /**
   * The stale entry in what a read found: the entry itself, or the one a lease carries; {@code
   * null} if there is none, or its window has passed.
   */
  static byte @Nullable [] entryOf(ReadSpec spec, byte @Nullable [] seen, long now) {
    if (spec.staleMillis() == 0 || seen == null || seen.length == 0) {
      return null;
    }
    byte[] entry = Store.isLease(seen) ? Store.carried(seen) : seen;
    if (entry == null || !isStale(spec, entry, now) || windowEnd(spec, entry) <= now) {
      return null;
    }
    return entry;
  }

  /**
   * Falls back on the stale entries of {@code run} after the method failed with {@code error}: if
   * it is an {@link Exception} and every slot has a stale entry whose flight no change superseded,
   * gives each slot its stale value, counts and logs them, and says so.
   *
   * @return whether the call is to return the stale values instead of failing
   */
  boolean serve(Load.Batch batch, List<Load.Slot> run, Throwable error) {
    ReadSpec spec = batch.spec;
    if (spec.staleMillis() == 0 || !(error instanceof Exception) || run.isEmpty()) {
      return false;
    }
    long now = System.currentTimeMillis();
    @Nullable Object[] values = new Object[run.size()];
    for (int i = 0; i < run.size(); i++) {
      Load.Slot slot = run.get(i);
      byte[] entry = entryOf(spec, slot.seen, now);
      if (entry == null || slot.flight().isStale()) {
        return false;
      }
      Object value = spec.entries().decode(spec.counters(), slot.key, entry);
      if (value == MethodEntries.UNUSABLE) {
        return false;
      }
      values[i] = value;
    }
    for (int i = 0; i < run.size(); i++) {
      run.get(i).value = values[i];
    }
    spec.counters().recordStaleServed(run.size());
    log.warn(
        "stale:" + spec.description(),
        spec.description()
            + " threw "
            + error
            + "; returned the stale entr"
            + (run.size() == 1 ? "y of " + run.get(0).key : "ies of " + run.size() + " keys")
            + " instead (staleIfErrorSeconds)");
    return true;
  }
}
