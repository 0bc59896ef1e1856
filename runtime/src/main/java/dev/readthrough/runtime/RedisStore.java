package dev.readthrough.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.protocol.RedisCommands;
import org.redisson.command.CommandAsyncExecutor;
import org.redisson.config.Config;

/**
 * The engine's only door to Redis: byte-array buckets read and written through Redisson, each
 * call bounded by the operation timeout whatever Redisson's own settings say.
 */
final class RedisStore implements AutoCloseable {

  private final ReadThroughConfig config;
  private final long timeoutNanos;
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
    this.timeoutNanos = config.operationTimeout().toNanos();
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

  /**
   * Reads one key.
   *
   * @return the bytes, or {@code null} if the key does not exist
   * @throws StoreException if Redis fails or does not answer within the timeout
   */
  byte @Nullable [] get(String key) throws StoreException {
    RedissonClient redisson = requireClient();
    CommandAsyncExecutor executor = commands;
    RFuture<byte[]> future = executor != null
        ? executor.readAsync(key, ByteArrayCodec.INSTANCE, RedisCommands.GET, key)
        : redisson.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).getAsync();
    return await(future.toCompletableFuture(), "GET");
  }

  /**
   * Stores one value with a TTL without waiting; the returned stage fails if the store does.
   * Nobody waits on it, so no timer of ours is scheduled: Redisson's response timeout ends it.
   */
  CompletableFuture<Void> setAsync(String key, byte[] value, long ttlMillis) {
    RedissonClient redisson = client;
    if (redisson == null) {
      return CompletableFuture.failedFuture(new StoreException("not connected"));
    }
    try {
      return redisson.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE)
          .setAsync(value, ttlMillis, TimeUnit.MILLISECONDS)
          .toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Stores one value with a TTL and waits for Redis to confirm, up to the timeout. */
  void set(String key, byte[] value, long ttlMillis) throws StoreException {
    await(setAsync(key, value, ttlMillis), "SET");
  }

  /** Deletes one key, waiting up to the timeout. */
  void delete(String key) throws StoreException {
    RedissonClient redisson = requireClient();
    await(redisson.getKeys().unlinkAsync(key).toCompletableFuture(), "UNLINK");
  }

  /**
   * Deletes every key that starts with {@code head}, with SCAN and UNLINK in batches: never
   * {@code KEYS}, which blocks Redis for the whole keyspace. Each round trip is bounded by the
   * timeout.
   *
   * @return how many keys were deleted
   */
  long deleteAll(String head) throws StoreException {
    RedissonClient redisson = requireClient();
    String pattern = globEscape(head) + "*";
    long deleted = 0;
    try {
      List<String> batch = new ArrayList<>(500);
      for (String key : redisson.getKeys().getKeys(KeysScanOptions.defaults().pattern(pattern).chunkSize(500))) {
        batch.add(key);
        if (batch.size() == 500) {
          deleted += unlink(redisson, batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        deleted += unlink(redisson, batch);
      }
    } catch (RuntimeException e) {
      throw new StoreException("SCAN " + pattern + " failed: " + safeMessage(e), e);
    }
    return deleted;
  }

  private long unlink(RedissonClient redisson, List<String> keys) throws StoreException {
    Long count = await(redisson.getKeys().unlinkAsync(keys.toArray(String[]::new)).toCompletableFuture(), "UNLINK");
    return count == null ? 0 : count;
  }

  /** A cheap read that tells whether Redis answers. */
  void ping() throws StoreException {
    get(config.keyPrefix() + ":__probe__");
  }

  RedissonClient requireClient() throws StoreException {
    RedissonClient redisson = client;
    if (redisson == null) {
      throw new StoreException("not connected to Redis");
    }
    return redisson;
  }

  private <T> @Nullable T await(CompletableFuture<T> future, String command) throws StoreException {
    try {
      return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new StoreException(command + " timed out after " + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new StoreException(command + " failed: " + safeMessage(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new StoreException(command + " interrupted");
    }
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
