package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.internal.redis.RedisGuard;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The lookup step of a read: where a call looks for its entries, for one key or many, waiting or
 * not. Today that is Redis alone, through the {@link RedisGuard}; a key Redis may not be used for
 * (breaker open, a delete still owed) is {@linkplain RedisGuard#UNAVAILABLE unavailable} without a
 * command sent.
 */
public final class Lookup {

  private final RedisGuard guard;

  public Lookup(RedisGuard guard) {
    this.guard = guard;
  }

  /** Whether Redis may be used for {@code key} now. */
  public boolean mayUse(String key) {
    return guard.mayUse(key);
  }

  /**
   * Reads one key, waiting at most the operation timeout.
   *
   * @return the bytes, {@code null} for none, or {@link RedisGuard#UNAVAILABLE}
   */
  public byte @Nullable [] one(ReadSpec spec, String key) {
    if (!guard.mayUse(key)) {
      return RedisGuard.UNAVAILABLE;
    }
    return guard.read(spec.counters(), key, spec.description());
  }

  /**
   * Reads one key without waiting; the future never fails and may complete on a Redisson thread.
   */
  public CompletableFuture<byte @Nullable []> oneAsync(ReadSpec spec, String key) {
    if (!guard.mayUse(key)) {
      return CompletableFuture.completedFuture(RedisGuard.UNAVAILABLE);
    }
    return guard.readAsync(spec.counters(), key, spec.description());
  }

  /**
   * Reads many keys, each of which Redis may be used for, in MGET batches.
   *
   * @return the bytes of the keys that exist, or {@code null} if Redis could not answer
   */
  public @Nullable Map<String, byte[]> many(ReadSpec spec, String[] keys) {
    return guard.readMany(spec.counters(), keys, spec.description());
  }

  /** {@link #many} without waiting; the future never fails. */
  public CompletableFuture<@Nullable Map<String, byte[]>> manyAsync(ReadSpec spec, String[] keys) {
    return guard.readManyAsync(spec.counters(), keys, spec.description());
  }
}
