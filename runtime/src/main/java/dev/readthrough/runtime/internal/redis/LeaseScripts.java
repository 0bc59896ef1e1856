package dev.readthrough.runtime.internal.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RScriptAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * Owns the three scripts of a load's lease — take it, store under it, release it — and sends them,
 * one per key, alone or pipelined: byte arrays in, futures out, no policy. Only {@link RedisGuard}
 * calls it. Why loads take leases is told above {@code Store}.
 */
final class LeaseScripts {

  private final RedisStore store;

  LeaseScripts(RedisStore store) {
    this.store = store;
  }

  /**
   * Takes the lease of a key for a load: sets {@code lease} with a TTL if the key holds nothing or
   * still holds {@code seen}, the bytes the load's read found.
   */
  private static final String LEASE_SCRIPT =
      "local v = redis.call('GET', KEYS[1]) "
          + "if v == false or v == ARGV[1] then "
          + "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return false end "
          + "return v";

  /** Stores a loaded value only if the key still holds the load's lease. */
  private static final String STORE_SCRIPT =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
          + "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end "
          + "return 0";

  /**
   * Ends a lease that will not be followed by a store, if the key still holds it: removes it, or
   * puts back the stale entry it replaced ({@code ARGV[2]}, for {@code ARGV[3]} ms) when one is
   * given.
   */
  private static final String RELEASE_SCRIPT =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
          + "if ARGV[2] == '' then redis.call('DEL', KEYS[1]) "
          + "else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end return 1 end "
          + "return 0";

  private static final byte[] NOTHING_SEEN = new byte[0];

  /**
   * Takes the leases of many keys in one pipelined batch ({@code LEASE_SCRIPT} per key).
   *
   * @param seen per key, the bytes its read found, or {@code null} for none
   * @param leases per key, the lease to set
   * @return per key, {@code null} if the lease was taken, else what the key holds now
   */
  @SuppressWarnings("NullAway") // JSpecify mode does not carry @Nullable into the lambda's R
  public CompletableFuture<List<byte @Nullable []>> leaseAllAsync(
      List<String> keys, List<byte @Nullable []> seen, List<byte[]> leases, long leaseMillis) {
    byte[] millis = ascii(leaseMillis);
    return LeaseScripts.<byte @Nullable []>script(
        store,
        keys,
        (script, i) -> {
          byte[] before = seen.get(i);
          return script.<byte @Nullable []>evalAsync(
              keys.get(i),
              RScript.Mode.READ_WRITE,
              LEASE_SCRIPT,
              RScript.ReturnType.VALUE,
              List.of(keys.get(i)),
              before == null ? NOTHING_SEEN : before,
              leases.get(i),
              millis);
        });
  }

  /**
   * Stores values under their keys' leases in one pipelined batch ({@code STORE_SCRIPT} per key).
   *
   * @return per key, whether the lease still held and the value was stored
   */
  public CompletableFuture<List<Long>> storeLeasedAllAsync(
      List<String> keys, List<byte[]> values, List<byte[]> leases, long ttlMillis) {
    byte[] millis = ascii(ttlMillis);
    return LeaseScripts.<Long>script(
        store,
        keys,
        (script, i) ->
            script.<Long>evalAsync(
                keys.get(i),
                RScript.Mode.READ_WRITE,
                STORE_SCRIPT,
                RScript.ReturnType.LONG,
                List.of(keys.get(i)),
                leases.get(i),
                values.get(i),
                millis));
  }

  /**
   * Ends leases no store will follow, where the keys still hold them, in one batch: each is
   * removed, or replaced by the stale entry given for it.
   *
   * @param restore per key, the stale entry to put back, or {@code null} to remove the lease
   * @param restoreMillis per key, how long a restored entry lives
   */
  public CompletableFuture<List<Long>> releaseAllAsync(
      List<String> keys,
      List<byte[]> leases,
      List<byte @Nullable []> restore,
      List<Long> restoreMillis) {
    return LeaseScripts.<Long>script(
        store,
        keys,
        (script, i) -> {
          byte[] back = restore.get(i);
          return script.<Long>evalAsync(
              keys.get(i),
              RScript.Mode.READ_WRITE,
              RELEASE_SCRIPT,
              RScript.ReturnType.LONG,
              List.of(keys.get(i)),
              leases.get(i),
              back == null ? NOTHING_SEEN : back,
              ascii(back == null ? 0 : restoreMillis.get(i)));
        });
  }

  /** One script call per key: sent alone for one key, else pipelined in one batch. */
  private static <R extends @Nullable Object> CompletableFuture<List<R>> script(
      RedisStore store, List<String> keys, ScriptCall<R> call) {
    try {
      RedissonClient redisson = store.requireClient();
      if (keys.size() == 1) {
        return call.send(redisson.getScript(ByteArrayCodec.INSTANCE), 0)
            .toCompletableFuture()
            .thenApply(Collections::singletonList);
      }
      RBatch batch = redisson.createBatch(BatchOptions.defaults());
      RScriptAsync script = batch.getScript(ByteArrayCodec.INSTANCE);
      List<CompletableFuture<R>> each = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        each.add(call.send(script, i).toCompletableFuture());
      }
      return batch
          .executeAsync()
          .toCompletableFuture()
          .thenApply(
              done -> {
                List<R> results = new ArrayList<>(each.size());
                each.forEach(f -> results.add(f.join()));
                return results;
              });
    } catch (RuntimeException | RedisStore.StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Sends one script call for the key at {@code index}. */
  @FunctionalInterface
  private interface ScriptCall<R extends @Nullable Object> {
    RFuture<R> send(RScriptAsync script, int index);
  }

  private static byte[] ascii(long number) {
    return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
  }
}
