package dev.readthrough.runtime;

import dev.readthrough.runtime.internal.call.Plans;
import dev.readthrough.runtime.internal.codec.Unencodable;
import dev.readthrough.runtime.internal.redis.RedisAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;

/**
 * How the engine reaches Redis and how it caches: immutable, built by {@link #builder()}, which
 * checks each setting as it is given.
 *
 * <p>{@link #toString()} never shows a password or user name.
 */
public final class ReadThroughConfig {

  /** The default bound on each Redis call a cached method makes. */
  public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofMillis(200);

  /** The default largest encoded value that is stored: 1 MiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;

  /** The default number of unsent single-key invalidations kept while Redis is down. */
  public static final int DEFAULT_INVALIDATION_BACKLOG = 10_000;

  /** The default bound on each cache's near tier: 10,000 local copies. */
  public static final long DEFAULT_LOCAL_MAX_ENTRIES = 10_000;

  private final @Nullable String redisUri;
  private final @Nullable RedissonClient redisson;
  private final @Nullable Path redissonYaml;
  private final List<String> clusterNodes;
  private final @Nullable String sentinelMaster;
  private final List<String> sentinelNodes;
  private final String keyPrefix;
  private final Duration operationTimeout;
  private final double ttlJitter;
  private final int maxValueBytes;
  private final int failureThreshold;
  private final Duration probeInterval;
  private final boolean distributedLock;
  private final Duration lockLease;
  private final Duration lockWait;
  private final List<Class<?>> allowedClasses;
  private final Executor asyncExecutor;
  private final int invalidationBacklog;
  private final long localMaxEntries;

  /** A {@code io.micrometer.core.instrument.MeterRegistry}, typed so only to keep it optional. */
  private final @Nullable Object meterRegistry;

  private ReadThroughConfig(Builder builder) {
    this.redisUri = builder.redisUri;
    this.redisson = builder.redisson;
    this.redissonYaml = builder.redissonYaml;
    this.clusterNodes = List.copyOf(builder.clusterNodes);
    this.sentinelMaster = builder.sentinelMaster;
    this.sentinelNodes = List.copyOf(builder.sentinelNodes);
    this.keyPrefix = builder.keyPrefix;
    this.operationTimeout = builder.operationTimeout;
    this.ttlJitter = builder.ttlJitter;
    this.maxValueBytes = builder.maxValueBytes;
    this.failureThreshold = builder.failureThreshold;
    this.probeInterval = builder.probeInterval;
    this.distributedLock = builder.distributedLock;
    this.lockLease = builder.lockLease;
    this.lockWait = builder.lockWait;
    this.allowedClasses = List.copyOf(builder.allowedClasses);
    this.asyncExecutor = builder.asyncExecutor;
    this.invalidationBacklog = builder.invalidationBacklog;
    this.localMaxEntries = builder.localMaxEntries;
    this.meterRegistry = builder.meterRegistry;
  }

  /** Returns a builder with the defaults: {@code redis://127.0.0.1:6379}, prefix {@code rt}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The Redis URI, or {@code null} when a client or a YAML file was given instead. */
  public @Nullable String redisUri() {
    return redisUri;
  }

  /** The client given by the application, which the engine uses but never shuts down. */
  public @Nullable RedissonClient redisson() {
    return redisson;
  }

  /** The Redisson YAML configuration file, if one was given. */
  public @Nullable Path redissonYaml() {
    return redissonYaml;
  }

  /** The Redis Cluster nodes to start from; empty unless {@code redisCluster} was given. */
  public List<String> clusterNodes() {
    return clusterNodes;
  }

  /** The Sentinel master's name; {@code null} unless {@code redisSentinel} was given. */
  public @Nullable String sentinelMaster() {
    return sentinelMaster;
  }

  /** The sentinels to ask for the master; empty unless {@code redisSentinel} was given. */
  public List<String> sentinelNodes() {
    return sentinelNodes;
  }

  /**
   * The application's Micrometer {@code MeterRegistry}, or {@code null}: typed {@code Object} so
   * that this class never needs Micrometer on the class path.
   */
  @Nullable Object meterRegistry() {
    return meterRegistry;
  }

  /** The first part of every key. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /** The bound on each Redis call made for a cached method. */
  public Duration operationTimeout() {
    return operationTimeout;
  }

  /** The largest fraction by which a TTL is randomly shortened; 0 means exact TTLs. */
  public double ttlJitter() {
    return ttlJitter;
  }

  /** The largest encoded value that is stored; larger results are returned but not cached. */
  public int maxValueBytes() {
    return maxValueBytes;
  }

  /** How many consecutive Redis failures open the circuit breaker. */
  public int failureThreshold() {
    return failureThreshold;
  }

  /** How often a background probe checks whether Redis is back while the breaker is open. */
  public Duration probeInterval() {
    return probeInterval;
  }

  /** Whether concurrent misses across JVMs wait for one loader behind a Redis lock. */
  public boolean distributedLock() {
    return distributedLock;
  }

  /** How long the distributed lock is held at most, should its holder die. */
  public Duration lockLease() {
    return lockLease;
  }

  /** How long a miss waits for the distributed lock before running the method anyway. */
  public Duration lockWait() {
    return lockWait;
  }

  /** Classes allowed in cached values beyond those the return types reach. */
  public List<Class<?>> allowedClasses() {
    return allowedClasses;
  }

  /**
   * Where async cached methods run on a miss, and where their returned futures complete on a hit:
   * never on Redisson's I/O threads.
   */
  public Executor asyncExecutor() {
    return asyncExecutor;
  }

  /**
   * How many single-key invalidations that could not be sent are kept, to be sent once Redis
   * answers; past it, the cache of a key that does not fit is cleared whole instead.
   */
  public int invalidationBacklog() {
    return invalidationBacklog;
  }

  /**
   * How many local copies each cache's near tier keeps at most (for methods with {@code
   * localTtlSeconds}); past it, Caffeine evicts the least useful.
   */
  public long localMaxEntries() {
    return localMaxEntries;
  }

  @Override
  public String toString() {
    String target =
        redisson != null
            ? "redisson=<given client>"
            : redissonYaml != null
                ? "redissonYaml=" + redissonYaml
                : !clusterNodes.isEmpty()
                    ? "redisCluster=" + RedisAddress.redactAll(clusterNodes)
                    : sentinelMaster != null
                        ? "redisSentinel="
                            + sentinelMaster
                            + "@"
                            + RedisAddress.redactAll(sentinelNodes)
                        : "redisUri=" + RedisAddress.redact(Objects.requireNonNull(redisUri));
    return "ReadThroughConfig{"
        + target
        + ", keyPrefix="
        + keyPrefix
        + ", operationTimeout="
        + operationTimeout
        + ", ttlJitter="
        + ttlJitter
        + ", maxValueBytes="
        + maxValueBytes
        + ", failureThreshold="
        + failureThreshold
        + ", probeInterval="
        + probeInterval
        + ", distributedLock="
        + distributedLock
        + (distributedLock ? ", lockLease=" + lockLease + ", lockWait=" + lockWait : "")
        + ", allowedClasses="
        + allowedClasses.size()
        + (meterRegistry != null
            ? ", meterRegistry=" + meterRegistry.getClass().getSimpleName()
            : "")
        + "}";
  }

  /** Builds a {@link ReadThroughConfig}; each setter checks its argument at once. */
  public static final class Builder {
    private @Nullable String redisUri = "redis://127.0.0.1:6379";
    private @Nullable RedissonClient redisson;
    private @Nullable Path redissonYaml;
    private List<String> clusterNodes = List.of();
    private @Nullable String sentinelMaster;
    private List<String> sentinelNodes = List.of();
    private @Nullable Object meterRegistry;
    private String keyPrefix = "rt";
    private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
    private double ttlJitter;
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private int failureThreshold = 3;
    private Duration probeInterval = Duration.ofMillis(500);
    private boolean distributedLock;
    private Duration lockLease = Duration.ofSeconds(30);
    private Duration lockWait = Duration.ofSeconds(10);
    private final List<Class<?>> allowedClasses = new ArrayList<>();
    private Executor asyncExecutor = ForkJoinPool.commonPool();
    private int invalidationBacklog = DEFAULT_INVALIDATION_BACKLOG;
    private long localMaxEntries = DEFAULT_LOCAL_MAX_ENTRIES;

    private Builder() {}

    /**
     * Connects to the Redis at {@code uri}: {@code redis://[[user]:password@]host:port[/db]}, or
     * {@code rediss://} for TLS.
     *
     * @throws IllegalArgumentException if it is not such a URI (the message hides credentials)
     */
    public Builder redisUri(String uri) {
      Objects.requireNonNull(uri, "redisUri");
      RedisAddress.parse(uri); // validates, without echoing credentials
      target();
      this.redisUri = uri;
      return this;
    }

    /** Uses an existing client, which the engine never shuts down. */
    public Builder redisson(RedissonClient client) {
      Objects.requireNonNull(client, "redisson");
      target();
      this.redisson = client;
      return this;
    }

    /**
     * Reads a Redisson YAML configuration file, of any server mode; the engine derives its timeouts
     * and retries from {@link #operationTimeout(Duration)} and reads from masters. The file is read
     * and checked by {@link ReadThroughEngine#start}, which fails if it is invalid.
     *
     * @throws IllegalArgumentException if the file does not exist
     */
    public Builder redissonYaml(Path file) {
      Objects.requireNonNull(file, "redissonYaml");
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("redissonYaml: no such file: " + file);
      }
      target();
      this.redissonYaml = file;
      return this;
    }

    /**
     * Connects to a Redis Cluster, discovering it from any of {@code nodeUris} ({@code
     * redis://[[user]:password@]host:port}, or {@code rediss://}); the credentials, if any, are
     * those of every node. Keys keep their format, so a cache's entries spread over every master.
     *
     * @throws IllegalArgumentException if no node is given, a node is not such a URI, a node names
     *     a database (a cluster has database 0 only), or two nodes give different credentials
     */
    public Builder redisCluster(String... nodeUris) {
      List<String> nodes = nodes("redisCluster", nodeUris); // all name node 1's database
      if (RedisAddress.parse(nodes.get(0), "redisCluster").database() != 0) {
        throw new IllegalArgumentException(
            "redisCluster: the nodes name a database; a Redis Cluster has database 0 only: "
                + RedisAddress.redact(nodes.get(0)));
      }
      target();
      this.clusterNodes = nodes;
      return this;
    }

    /**
     * Connects to the master that the sentinels at {@code sentinelUris} name {@code masterName},
     * following it through failovers. The credentials of the URIs, if any, are used for the
     * sentinels and for the master and its replicas alike, and a database in them is the master's;
     * for anything else, use {@link #redissonYaml(Path)}.
     *
     * @throws IllegalArgumentException if the name is blank, no sentinel is given, a sentinel is
     *     not a Redis URI, or two give different credentials or databases
     */
    public Builder redisSentinel(String masterName, String... sentinelUris) {
      Objects.requireNonNull(masterName, "redisSentinel masterName");
      if (masterName.isBlank()) {
        throw new IllegalArgumentException("redisSentinel: the master's name is blank");
      }
      List<String> nodes = nodes("redisSentinel", sentinelUris);
      target();
      this.sentinelMaster = masterName;
      this.sentinelNodes = nodes;
      return this;
    }

    /**
     * Registers the engine's meters in {@code registry}: Micrometer's {@code cache.gets}, {@code
     * cache.puts} and {@code cache.evictions} per cache, and {@code readthrough.*} beside them (see
     * the metrics reference in {@code docs/metrics.md}). Micrometer is needed only by those who
     * call this.
     */
    public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /** Forgets the Redis target set before: the last one given wins. */
    private void target() {
      this.redisUri = null;
      this.redisson = null;
      this.redissonYaml = null;
      this.clusterNodes = List.of();
      this.sentinelMaster = null;
      this.sentinelNodes = List.of();
    }

    /** Checks a mode's node URIs: at least one, each a Redis URI, all with the same credentials. */
    private static List<String> nodes(String setting, @Nullable String[] uris) {
      Objects.requireNonNull(uris, setting);
      if (uris.length == 0) {
        throw new IllegalArgumentException(setting + ": give at least one node URI");
      }
      List<String> nodes = new ArrayList<>();
      RedisAddress first = null;
      for (int i = 0; i < uris.length; i++) {
        String uri = uris[i];
        if (uri == null || uri.isBlank()) {
          throw new IllegalArgumentException(setting + ": node " + (i + 1) + " is blank");
        }
        RedisAddress address = RedisAddress.parse(uri, setting + " node " + (i + 1));
        if (first == null) {
          first = address;
        } else if (!Objects.equals(first.username(), address.username())
            || !Objects.equals(first.password(), address.password())
            || first.database() != address.database()) {
          throw new IllegalArgumentException(
              setting
                  + ": node "
                  + (i + 1)
                  + " gives other credentials or another database than node 1; give them the"
                  + " same, or use redissonYaml");
        }
        nodes.add(uri);
      }
      return nodes;
    }

    /**
     * Sets the first part of every key (default {@code rt}).
     *
     * @throws IllegalArgumentException if empty or holding a character other than letters, digits
     *     and {@code . _ - / # @ $}
     */
    public Builder keyPrefix(String prefix) {
      Objects.requireNonNull(prefix, "keyPrefix");
      if (!Plans.NAME.matcher(prefix).matches()) {
        throw new IllegalArgumentException(
            "keyPrefix must be letters, digits and . _ - / # @ $ only (no ':', spaces or * ? [ ]): \""
                + prefix
                + "\"");
      }
      this.keyPrefix = prefix;
      return this;
    }

    /**
     * Bounds each Redis call made for a cached method (default 200 ms).
     *
     * @throws IllegalArgumentException unless between 1 ms and 1 minute
     */
    public Builder operationTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "operationTimeout");
      if (timeout.compareTo(Duration.ofMillis(1)) < 0
          || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "operationTimeout must be between 1 ms and 1 minute: " + timeout);
      }
      this.operationTimeout = timeout;
      return this;
    }

    /**
     * Shortens each TTL by a random fraction up to {@code fraction}, so that entries written
     * together do not expire together; never lengthens it (default 0).
     *
     * @throws IllegalArgumentException unless {@code 0 <= fraction < 1}
     */
    public Builder ttlJitter(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("ttlJitter must be at least 0 and below 1: " + fraction);
      }
      this.ttlJitter = fraction;
      return this;
    }

    /**
     * Sets the largest encoded value that is stored (default 1 MiB).
     *
     * @throws IllegalArgumentException unless between 64 bytes and 512 MiB
     */
    public Builder maxValueBytes(int bytes) {
      if (bytes < 64 || bytes > 512 << 20) {
        throw new IllegalArgumentException(
            "maxValueBytes must be between 64 and 512 MiB: " + bytes);
      }
      this.maxValueBytes = bytes;
      return this;
    }

    /**
     * Sets how many consecutive Redis failures open the circuit breaker (default 3).
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder failureThreshold(int failures) {
      if (failures < 1) {
        throw new IllegalArgumentException("failureThreshold must be at least 1: " + failures);
      }
      this.failureThreshold = failures;
      return this;
    }

    /**
     * Sets how often the background probe checks Redis while the breaker is open (default 500 ms).
     *
     * @throws IllegalArgumentException unless between 10 ms and 1 minute
     */
    public Builder probeInterval(Duration interval) {
      Objects.requireNonNull(interval, "probeInterval");
      if (interval.compareTo(Duration.ofMillis(10)) < 0
          || interval.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "probeInterval must be between 10 ms and 1 minute: " + interval);
      }
      this.probeInterval = interval;
      return this;
    }

    /**
     * Makes concurrent misses on one key across JVMs run the method once: the first takes a Redis
     * lock held at most {@code lease}; the others wait up to {@code wait} for its result, then run
     * the method themselves. A lock that cannot be taken because Redis fails is skipped.
     *
     * @throws IllegalArgumentException unless both are positive
     */
    public Builder distributedLock(Duration lease, Duration wait) {
      Objects.requireNonNull(lease, "lockLease");
      Objects.requireNonNull(wait, "lockWait");
      if (lease.isNegative() || lease.isZero() || wait.isNegative() || wait.isZero()) {
        throw new IllegalArgumentException(
            "distributedLock lease and wait must be positive: " + lease + ", " + wait);
      }
      this.distributedLock = true;
      this.lockLease = lease;
      this.lockWait = wait;
      return this;
    }

    /**
     * Allows these classes in cached values beyond those the cached methods' return types reach,
     * such as the implementations of an interface-typed field.
     *
     * @throws IllegalArgumentException if a class is an interface or abstract, or cannot be cached:
     *     a lambda, a stream, thread, socket or other type that is not data, or a class whose
     *     fields the codec may not open (such as {@code java.io.ByteArrayInputStream}); the message
     *     names the class and says why
     */
    public Builder allowClasses(Class<?>... classes) {
      for (Class<?> c : classes) {
        Objects.requireNonNull(c, "allowClasses");
        if (c.isInterface()
            || (java.lang.reflect.Modifier.isAbstract(c.getModifiers()) && !c.isArray())) {
          throw new IllegalArgumentException("allowClasses takes concrete classes: " + c.getName());
        }
        String refused = Unencodable.whyNotAllowable(c);
        if (refused != null) {
          throw new IllegalArgumentException("allowClasses(" + c.getName() + ".class): " + refused);
        }
        if (!allowedClasses.contains(c)) {
          allowedClasses.add(c);
        }
      }
      return this;
    }

    /**
     * Sets where async cached methods ({@code CompletableFuture} or {@code CompletionStage}
     * results) run on a miss, and where their futures complete; default the common {@code
     * ForkJoinPool}.
     */
    public Builder asyncExecutor(Executor executor) {
      this.asyncExecutor = Objects.requireNonNull(executor, "asyncExecutor");
      return this;
    }

    /**
     * Sets how many single-key invalidations that could not reach Redis are kept to be sent once it
     * answers (default {@value #DEFAULT_INVALIDATION_BACKLOG}); an {@code allEntries} invalidation
     * is one item. Past the bound a cache's entries are cleared whole instead.
     *
     * @throws IllegalArgumentException unless between 1 and 1,000,000
     */
    public Builder invalidationBacklog(int keys) {
      if (keys < 1 || keys > 1_000_000) {
        throw new IllegalArgumentException(
            "invalidationBacklog must be between 1 and 1,000,000: " + keys);
      }
      this.invalidationBacklog = keys;
      return this;
    }

    /**
     * Sets how many local copies each cache's near tier keeps at most (default {@value
     * #DEFAULT_LOCAL_MAX_ENTRIES}); only methods with {@code localTtlSeconds} keep any.
     *
     * @throws IllegalArgumentException unless between 1 and 100,000,000
     */
    public Builder localMaxEntries(long entries) {
      if (entries < 1 || entries > 100_000_000) {
        throw new IllegalArgumentException(
            "localMaxEntries must be between 1 and 100,000,000: " + entries);
      }
      this.localMaxEntries = entries;
      return this;
    }

    /** Returns the configuration. */
    public ReadThroughConfig build() {
      return new ReadThroughConfig(this);
    }
  }
}
