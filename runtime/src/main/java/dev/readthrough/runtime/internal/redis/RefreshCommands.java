package dev.readthrough.runtime.internal.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.redisson.api.RScript;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * Owns the commands of a background reload (refresh-ahead): its short cross-JVM lock ({@code SET NX
 * PX}, released by compare-and-delete) and the replace of the entry it read by the entry it loaded,
 * if the key still holds the first (compare-and-set). Byte arrays in, futures out, no policy: only
 * {@link RedisGuard} calls it. The protocol is told above {@code RefreshAhead}.
 */
final class RefreshCommands {

  /** Takes the reload lock of a key: sets it only if absent, with a TTL. */
  private static final String LOCK_SCRIPT =
      "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end return 0";

  /** Releases the reload lock, if it is still this reload's. */
  private static final String UNLOCK_SCRIPT =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end "
          + "return 0";

  /** Replaces the entry a reload read by the one it loaded, if the key still holds the first. */
  private static final String REPLACE_SCRIPT =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
          + "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end "
          + "return 0";

  private final RedisStore store;

  RefreshCommands(RedisStore store) {
    this.store = store;
  }

  /** The key of {@code key}'s reload lock: beside the cache's entries, never among them. */
  String lockKey(String key) {
    String prefix = store.keyPrefix();
    return prefix + "-refresh:" + key.substring(prefix.length() + 1);
  }

  CompletableFuture<Long> lockAsync(String key, byte[] token, long lockMillis) {
    return eval(lockKey(key), LOCK_SCRIPT, token, ascii(lockMillis));
  }

  CompletableFuture<Long> unlockAsync(String key, byte[] token) {
    return eval(lockKey(key), UNLOCK_SCRIPT, token);
  }

  CompletableFuture<Long> replaceAsync(String key, byte[] seen, byte[] entry, long keepMillis) {
    return eval(key, REPLACE_SCRIPT, seen, entry, ascii(keepMillis));
  }

  private CompletableFuture<Long> eval(String key, String script, Object... args) {
    try {
      return store
          .requireClient()
          .getScript(ByteArrayCodec.INSTANCE)
          .<Long>evalAsync(
              key, RScript.Mode.READ_WRITE, script, RScript.ReturnType.LONG, List.of(key), args)
          .toCompletableFuture();
    } catch (RuntimeException | RedisStore.StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static byte[] ascii(long number) {
    return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
  }
}
