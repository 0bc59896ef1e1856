package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.internal.codec.MethodEntries;
import dev.readthrough.runtime.internal.redis.RedisGuard;
import org.jspecify.annotations.Nullable;

/**
 * The decide step of a read: what an answer from Redis means for the call — a hit with its value, a
 * miss (nothing there, a load's lease, an entry past its freshness that Redis keeps only to stand
 * in for a failing method, or an entry that cannot be used) or unavailable (no answer). The one
 * place each kind of answer is told apart, for every shape of call.
 */
public final class Decide {

  /** The key holds no usable entry: the call loads it. Compared by identity. */
  public static final Object MISS = new Marker("MISS");

  /** Redis gave no answer, or may not be used for the key: the call runs the method uncached. */
  public static final Object UNAVAILABLE = new Marker("UNAVAILABLE");

  private Decide() {}

  /**
   * Decides what {@code bytes}, read for {@code key}, mean.
   *
   * @param bytes what the lookup returned: the entry, {@code null} for none, or {@link
   *     RedisGuard#UNAVAILABLE}
   * @return the value (a cached null is {@code null}), {@link #MISS} or {@link #UNAVAILABLE}
   */
  public static @Nullable Object entry(ReadSpec spec, String key, byte @Nullable [] bytes) {
    if (bytes == RedisGuard.UNAVAILABLE) {
      return UNAVAILABLE;
    }
    if (bytes == null || Store.isLease(bytes)) {
      return MISS;
    }
    if (spec.staleMillis() > 0 && Stale.isStale(spec, bytes, System.currentTimeMillis())) {
      return MISS; // kept past its TTL for stale-if-error only: the load falls back on it
    }
    Object value = spec.entries().decode(spec.counters(), key, bytes);
    return value == MethodEntries.UNUSABLE ? MISS : value;
  }

  /** Whether a decision is a value to return: neither {@link #MISS} nor {@link #UNAVAILABLE}. */
  public static boolean isHit(@Nullable Object decided) {
    return decided != MISS && decided != UNAVAILABLE;
  }

  private record Marker(String name) {
    @Override
    public String toString() {
      return name;
    }
  }
}
