package dev.readthrough.runtime;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.AsyncIterator;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.protocol.RedisCommands;
import org.redisson.command.CommandAsyncExecutor;
import org.redisson.config.Config;

/**
 * Owns the Redisson client and turns each Redis command the engine needs into a future: byte arrays
 * in and out, no waiting, no failure policy. Only {@link RedisGuard} calls it; a synchronous
 * Redisson exception becomes a failed future here, so it never reaches a caller.
 */
final class RedisStore implements AutoCloseable {

  private final ReadThroughConfig config;
  private final boolean owned;

  /** What an owned client is created from; built with the store, so that a bad one fails start. */
  private final @Nullable Config settings;

  private volatile @Nullable RedissonClient client;

  /** Redisson's command layer, used for GET so that a hit does not build a bucket object. */
  private volatile @Nullable CommandAsyncExecutor commands;

  /**
   * Creates a store; an owned client is only created by {@link #connect()}.
   *
   * @throws IllegalArgumentException if the Redisson YAML file cannot be read or is invalid
   */
  RedisStore(ReadThroughConfig config) {
    this.config = config;
    RedissonClient given = config.redisson();
    this.owned = given == null;
    this.settings = owned ? RedissonSettings.of(config) : null;
    this.client = given;
    this.commands = commandsOf(given);
  }

  private static @Nullable CommandAsyncExecutor commandsOf(@Nullable RedissonClient client) {
    return client instanceof Redisson redisson ? redisson.getCommandExecutor() : null;
  }

  /** Whether a client exists; an owned one is created by {@link #connect()}. */
  boolean isConnected() {
    return client != null;
  }

  /**
   * Creates the owned client if there is none yet.
   *
   * @throws StoreException if Redis cannot be reached now
   */
  synchronized void connect() throws StoreException {
    if (client != null) {
      return;
    }
    try {
      RedissonClient created = Redisson.create(Objects.requireNonNull(settings));
      commands = commandsOf(created);
      client = created;
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to Redis at " + target() + ": " + safeMessage(e), e);
    }
  }

  private String target() {
    String uri = config.redisUri();
    return uri != null ? ReadThroughConfig.redact(uri) : String.valueOf(config.redissonYaml());
  }

  /** Reads one key; the future holds {@code null} if it does not exist. */
  CompletableFuture<byte @Nullable []> getAsync(String key) {
    try {
      RedissonClient redisson = requireClient();
      CommandAsyncExecutor executor = commands;
      RFuture<byte @Nullable []> future =
          executor != null
              ? executor.readAsync(key, ByteArrayCodec.INSTANCE, RedisCommands.GET, key)
              : redisson.<byte @Nullable []>getBucket(key, ByteArrayCodec.INSTANCE).getAsync();
      return future.toCompletableFuture();
    } catch (RuntimeException | StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Reads many keys in one MGET (grouped by slot on a cluster); absent keys are left out. */
  CompletableFuture<Map<String, byte[]>> getAllAsync(String[] keys) {
    try {
      return requireClient()
          .getBuckets(ByteArrayCodec.INSTANCE)
          .<byte[]>getAsync(keys)
          .toCompletableFuture();
    } catch (RuntimeException | StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Stores one value with a TTL. */
  CompletableFuture<Void> setAsync(String key, byte[] value, long ttlMillis) {
    try {
      return requireClient()
          .<byte[]>getBucket(key, ByteArrayCodec.INSTANCE)
          .setAsync(value, ttlMillis, TimeUnit.MILLISECONDS)
          .toCompletableFuture();
    } catch (RuntimeException | StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Stores many values with one TTL in one pipelined batch. */
  CompletableFuture<Void> setAllAsync(Map<String, byte[]> values, long ttlMillis) {
    try {
      RBatch batch = requireClient().createBatch(BatchOptions.defaults());
      values.forEach(
          (key, value) ->
              batch
                  .<byte[]>getBucket(key, ByteArrayCodec.INSTANCE)
                  .setAsync(value, ttlMillis, TimeUnit.MILLISECONDS));
      return batch.executeAsync().toCompletableFuture().thenApply(result -> null);
    } catch (RuntimeException | StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Removes keys with UNLINK; the future holds how many existed. */
  CompletableFuture<Long> unlinkAsync(String... keys) {
    try {
      return requireClient().getKeys().unlinkAsync(keys).toCompletableFuture();
    } catch (RuntimeException | StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Iterates the keys that start with {@code head} with SCAN (never {@code KEYS}, which blocks
   * Redis for the whole keyspace), in chunks of {@code chunk}.
   */
  AsyncIterator<String> scan(String head, int chunk) throws StoreException {
    try {
      return requireClient()
          .getKeys()
          .getKeysAsync(
              KeysScanOptions.defaults().pattern(globEscape(head) + "*").chunkSize(chunk));
    } catch (RuntimeException e) {
      throw new StoreException("SCAN " + head + "* failed: " + safeMessage(e), e);
    }
  }

  /** The cross-JVM lock of a key: {@code <prefix>-lock:<cache>:<parts>}. */
  RLock lock(String key) throws StoreException {
    try {
      return requireClient()
          .getLock(config.keyPrefix() + "-lock:" + key.substring(config.keyPrefix().length() + 1));
    } catch (RuntimeException e) {
      throw new StoreException("cannot create the lock of " + key + ": " + safeMessage(e), e);
    }
  }

  RedissonClient requireClient() throws StoreException {
    RedissonClient redisson = client;
    if (redisson == null) {
      throw new StoreException("not connected to Redis");
    }
    return redisson;
  }

  /** Redis error texts can echo a URI; never let credentials through. */
  static String safeMessage(Throwable e) {
    String message = e.getClass().getSimpleName() + ": " + e.getMessage();
    return message.replaceAll("(rediss?://)[^@/\\s]*@", "$1***@");
  }

  static String globEscape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  @Override
  public void close() {
    RedissonClient redisson = client;
    client = null;
    commands = null;
    if (owned && redisson != null) {
      redisson.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /** Redis could not be used for one operation. */
  static final class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    StoreException(String message) {
      super(message, null, false, false);
    }

    StoreException(String message, Throwable cause) {
      // the cause's message may hold credentials: only its sanitised text is kept, above
      super(message, null, false, false);
    }
  }
}
