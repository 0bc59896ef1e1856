package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.internal.near.NearSpec;
import dev.readthrough.runtime.internal.near.NearTier;
import dev.readthrough.runtime.internal.redis.RedisGuard;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The lookup step of a read: where a call looks for its entries, for one key or many, waiting or
 * not. First this JVM's near tier, if the method keeps local copies ({@link #local}); then Redis,
 * through the {@link RedisGuard}, where a key Redis may not be used for (breaker open, a delete
 * still owed) is {@linkplain RedisGuard#UNAVAILABLE unavailable} without a command sent. A remote
 * hit is offered to the near tier ({@link #keep}) under the ticket taken before its read ({@link
 * #ticket}); see {@link dev.readthrough.runtime.internal.near.Coherence} for why.
 */
public final class Lookup {

  private final RedisGuard guard;

  public Lookup(RedisGuard guard) {
    this.guard = guard;
  }

  /**
   * The near tier's copy of {@code key}, without a Redis call.
   *
   * @return the value ({@code null} for a cached null), or {@link NearTier#ABSENT} if the method
   *     keeps no local copies or this JVM holds none of the key
   */
  public static @Nullable Object local(ReadSpec spec, String key) {
    NearSpec near = spec.near();
    return near == null ? NearTier.ABSENT : near.tier().find(spec.entries(), near, key);
  }

  /** The near tier's ticket for a read of {@code key}, taken before it is sent; -1 for none. */
  public static long ticket(ReadSpec spec, String key) {
    NearSpec near = spec.near();
    return near == null ? -1 : near.tier().ticket(key);
  }

  /** Offers what a read of {@code key} with {@code ticket} found, a hit, to the near tier. */
  public static void keep(
      ReadSpec spec, String key, long ticket, byte @Nullable [] bytes, @Nullable Object value) {
    NearSpec near = spec.near();
    if (near != null && bytes != null && bytes != RedisGuard.UNAVAILABLE) {
      near.tier().offer(spec.entries(), near, key, ticket, bytes, value);
    }
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
    return guard.read(spec.counters(), key, spec.description());
  }

  /**
   * Reads one key without waiting; the future never fails and may complete on a Redisson thread.
   */
  public CompletableFuture<byte @Nullable []> oneAsync(ReadSpec spec, String key) {
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
