package dev.readthrough.runtime.internal.redis;

import dev.readthrough.runtime.ReadThroughConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.RedissonKeys;
import org.redisson.api.AsyncIterator;
import org.redisson.api.RBuckets;
import org.redisson.api.RFuture;
import org.redisson.api.RKeys;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysOptions;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.api.options.OptionalOptions;
import org.redisson.api.options.PlainOptions;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.protocol.RedisCommands;
import org.redisson.command.CommandAsyncExecutor;
import org.redisson.config.Config;

/**
 * Owns the Redisson client and turns each Redis command the engine needs into a future: byte arrays
 * in and out, no waiting, no failure policy. Only {@link RedisGuard} calls it; a synchronous
 * Redisson exception becomes a failed future here, so it never reaches a caller.
 */
public final class RedisStore implements AutoCloseable {

  /** The key the check reads; it never exists. */
  static final String PROBE_KEY_SUFFIX = ":__probe__";

  private final ReadThroughConfig config;
  private final boolean owned;

  /** What an owned client is created from; built with the store, so that a bad one fails start. */
  private final @Nullable Config settings;

  /** The plain-socket look made before each check, where the configuration allows one. */
  private final @Nullable Preflight preflight;

  /** How long a check waits for its GET: the first one may open the first connection. */
  private final long checkNanos;

  private volatile @Nullable RedissonClient client;

  /** The views of {@link #client} the engine's reads, deletes and scans go through. */
  private volatile @Nullable Commands commands;

  /** The owned client with its daemon threads, shut down by {@link #close()}. */
  private @Nullable OwnedClient ownedClient;

  /** Set by {@link #close()}; from then on no client is created. Guarded by {@code this}. */
  private boolean closed;

  /** Test hook: runs in {@link #check()} just before it creates the client, if none exists yet. */
  public volatile @Nullable Runnable beforeCreate;

  /**
   * Creates a store; an owned client is only created by the first {@link #check()} that finds Redis
   * answering.
   *
   * @throws IllegalArgumentException if the Redisson YAML file cannot be read or is invalid
   */
  public RedisStore(ReadThroughConfig config) {
    this.config = config;
    RedissonClient given = config.redisson();
    this.owned = given == null;
    this.settings = owned ? RedissonSettings.of(config) : null;
    this.preflight = settings != null ? Preflight.of(settings) : null;
    this.checkNanos =
        Math.max(
            config.operationTimeout().toNanos(),
            TimeUnit.MILLISECONDS.toNanos(RedissonSettings.TIMEOUT_FLOOR_MILLIS));
    this.client = given;
    this.commands = given != null ? Commands.of(given, config.operationTimeout()) : null;
  }

  /**
   * The client and the views of it that the engine sends GET, MGET, UNLINK and SCAN through: each
   * command carries the operation timeout as its response timeout and no retry ({@link
   * RedissonSettings#commandOptions}), so that Redisson's own timer fails it once the operation
   * timeout passed without an answer, on the engine's client and on one the application handed in
   * alike. Built once per client: a view costs a few objects, a command none more than the client's
   * own.
   *
   * @param gets Redisson's command layer, for GET without building a bucket object per hit; {@code
   *     null} if the client is not a {@code Redisson}, which then gets a bucket with the same
   *     options per GET
   */
  private record Commands(
      RedissonClient client,
      Duration timeout,
      @Nullable CommandAsyncExecutor gets,
      RBuckets buckets,
      RKeys keys) {

    static Commands of(RedissonClient client, Duration timeout) {
      CommandAsyncExecutor gets =
          client instanceof Redisson redisson
              ? redisson.getCommandExecutor().copy(RedissonSettings.commandOptions(timeout))
              : null;
      return new Commands(
          client,
          timeout,
          gets,
          client.getBuckets(
              OptionalOptions.defaults()
                  .codec(ByteArrayCodec.INSTANCE)
                  .timeout(timeout)
                  .retryAttempts(0)),
          client.getKeys(KeysOptions.defaults().timeout(timeout).retryAttempts(0)));
    }
  }

  private Commands requireCommands() throws StoreException {
    Commands views = commands;
    if (views == null) {
      throw new StoreException("not connected to Redis");
    }
    return views;
  }

  /** Whether a client exists; an owned one is created by the first {@link #check()} that passes. */
  public boolean isConnected() {
    return client != null;
  }

  /**
   * Checks that Redis answers now, as the engine's start and each probe of an open breaker do: the
   * plain-socket {@link Preflight} where it applies, then one GET through the client. The owned
   * client is created by the first check that gets that far, and kept from then on: Redisson
   * reconnects by itself, and a client per probe would log Redisson's banner, and its stack traces
   * against an endpoint that is not Redis, at every probe.
   *
   * @throws StoreException naming what stands in the way: connection refused, timed out, not a
   *     Redis server, authentication refused, or Redisson's own (sanitised) words
   */
  public void check() throws StoreException {
    Preflight look = preflight;
    if (look != null) {
      String problem = look.problem();
      if (problem != null) {
        throw new StoreException("cannot connect to Redis at " + target() + ": " + problem);
      }
    }
    Runnable hook = beforeCreate;
    if (hook != null && client == null) {
      hook.run();
    }
    createClientIfNone();
    CompletableFuture<byte @Nullable []> read = probeAsync(config.keyPrefix() + PROBE_KEY_SUFFIX);
    try {
      read.get(checkNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      read.cancel(false);
      throw new StoreException(
          "cannot connect to Redis at "
              + target()
              + ": timed out: no answer to GET within "
              + TimeUnit.NANOSECONDS.toMillis(checkNanos)
              + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new StoreException(
          "cannot connect to Redis at " + target() + ": " + safeMessage(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      read.cancel(false);
      throw new StoreException("interrupted while checking Redis at " + target());
    }
  }

  /**
   * Creates the owned client, once, and never after {@link #close()}: a probe already past the
   * breaker's shut-down check may get here while the engine closes, and a client created then would
   * never be shut down. Creation and {@code close()} hold the same lock. The client connects
   * lazily, on its first command, so that its timer thread can still be made a daemon; its I/O and
   * callback threads are daemons of the store's own. A {@code main} that returns without {@code
   * close()} thus lets the JVM exit.
   */
  private synchronized void createClientIfNone() throws StoreException {
    if (closed) {
      throw new StoreException("the engine is closed");
    }
    if (client != null) {
      return;
    }
    OwnedClient created;
    try {
      created = OwnedClient.create(Objects.requireNonNull(settings));
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to Redis at " + target() + ": " + safeMessage(e), e);
    }
    ownedClient = created;
    commands = Commands.of(created.client(), config.operationTimeout());
    client = created.client();
  }

  private String target() {
    String uri = config.redisUri();
    if (uri != null) {
      return RedisAddress.redact(uri);
    }
    if (!config.clusterNodes().isEmpty()) {
      return "the cluster of " + RedisAddress.redactAll(config.clusterNodes());
    }
    if (config.sentinelMaster() != null) {
      return "master "
          + config.sentinelMaster()
          + " of the sentinels "
          + RedisAddress.redactAll(config.sentinelNodes());
    }
    return String.valueOf(config.redissonYaml());
  }

  /**
   * Reads one key; the future holds {@code null} if it does not exist, and fails by itself once the
   * operation timeout passed without an answer.
   */
  public CompletableFuture<byte @Nullable []> getAsync(String key) {
    try {
      Commands views = requireCommands();
      CommandAsyncExecutor executor = views.gets();
      RFuture<byte @Nullable []> future =
          executor != null
              ? executor.readAsync(key, ByteArrayCodec.INSTANCE, RedisCommands.GET, key)
              : views
                  .client()
                  .<byte @Nullable []>getBucket(
                      PlainOptions.name(key)
                          .codec(ByteArrayCodec.INSTANCE)
                          .timeout(views.timeout())
                          .retryAttempts(0))
                  .getAsync();
      return future.toCompletableFuture();
    } catch (RuntimeException | StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The check's read of one key: as {@link #getAsync}, but bounded by the check's own wait, since
   * the first one also opens the first connection.
   */
  private CompletableFuture<byte @Nullable []> probeAsync(String key) {
    try {
      return requireClient()
          .<byte @Nullable []>getBucket(
              PlainOptions.name(key)
                  .codec(ByteArrayCodec.INSTANCE)
                  .timeout(Duration.ofNanos(checkNanos))
                  .retryAttempts(0))
          .getAsync()
          .toCompletableFuture();
    } catch (RuntimeException | StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Reads many keys in one MGET (one per slot group on a cluster); absent keys are left out. The
   * future fails by itself once the operation timeout passed without an answer.
   */
  public CompletableFuture<Map<String, byte[]>> getAllAsync(String[] keys) {
    try {
      return requireCommands().buckets().<byte[]>getAsync(keys).toCompletableFuture();
    } catch (RuntimeException | StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Stores one value with a TTL. */
  public CompletableFuture<Void> setAsync(String key, byte[] value, long ttlMillis) {
    try {
      return requireClient()
          .<byte[]>getBucket(key, ByteArrayCodec.INSTANCE)
          .setAsync(value, ttlMillis, TimeUnit.MILLISECONDS)
          .toCompletableFuture();
    } catch (RuntimeException | StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Removes keys with UNLINK; the future holds how many existed, and fails by itself once the
   * operation timeout passed without an answer.
   */
  public CompletableFuture<Long> unlinkAsync(String... keys) {
    try {
      return requireCommands().keys().unlinkAsync(keys).toCompletableFuture();
    } catch (RuntimeException | StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Iterates the keys that start with {@code head} with SCAN (never {@code KEYS}, which blocks
   * Redis for the whole keyspace), asking for {@code chunk} keys per step; each step fails by
   * itself once the operation timeout passed without an answer.
   */
  public AsyncIterator<String> scan(String head, int chunk) throws StoreException {
    RKeys keys = requireCommands().keys();
    String pattern = RedisMessages.globEscape(head) + "*";
    try {
      return keys instanceof RedissonKeys redissonKeys
          ? new ScanIterator(redissonKeys, pattern, chunk)
          : keys.getKeysAsync(KeysScanOptions.defaults().pattern(pattern).chunkSize(chunk));
    } catch (RuntimeException e) {
      throw new StoreException("SCAN " + head + "* failed: " + safeMessage(e), e);
    }
  }

  /** The cross-JVM lock of a key: {@code <prefix>-lock:<cache>:<parts>}. */
  /** The configured key prefix, before every key's first {@code :}. */
  String keyPrefix() {
    return config.keyPrefix();
  }

  public RLock lock(String key) throws StoreException {
    try {
      return requireClient()
          .getLock(config.keyPrefix() + "-lock:" + key.substring(config.keyPrefix().length() + 1));
    } catch (RuntimeException e) {
      throw new StoreException("cannot create the lock of " + key + ": " + safeMessage(e), e);
    }
  }

  /**
   * The Redisson configuration the engine's client runs with: its own settings, or the handed-in
   * client's; {@code null} if the store is closed.
   */
  public @Nullable Config redissonConfig() {
    if (settings != null) {
      return settings;
    }
    RedissonClient redisson = client;
    return redisson == null ? null : redisson.getConfig();
  }

  public RedissonClient requireClient() throws StoreException {
    RedissonClient redisson = client;
    if (redisson == null) {
      throw new StoreException("not connected to Redis");
    }
    return redisson;
  }

  /** The exception's class and its message, fit for the engine's log; see {@link RedisMessages}. */
  public static String safeMessage(Throwable e) {
    return RedisMessages.safeMessage(e);
  }

  /** Whether {@link #close()} has been called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** Shuts the owned client down, if one was created; no check creates one afterwards. */
  @Override
  public void close() {
    OwnedClient mine;
    synchronized (this) {
      closed = true;
      mine = ownedClient;
      ownedClient = null;
      commands = null;
      client = null;
    }
    if (mine != null) {
      mine.shutDown();
    }
  }

  /** Redis could not be used for one operation. */
  public static final class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
      super(message, null, false, false);
    }

    public StoreException(String message, Throwable cause) {
      // the cause's message may hold credentials: only its sanitised text is kept, above
      super(message, null, false, false);
    }
  }
}
