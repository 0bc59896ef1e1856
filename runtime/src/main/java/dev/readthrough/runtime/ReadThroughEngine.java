package dev.readthrough.runtime;

import dev.readthrough.runtime.internal.call.CacheCounters;
import dev.readthrough.runtime.internal.call.CachingInterceptor;
import dev.readthrough.runtime.internal.call.Plans;
import dev.readthrough.runtime.internal.call.RequestPath;
import dev.readthrough.runtime.internal.declarations.Weaving;
import dev.readthrough.runtime.internal.flight.SingleFlight;
import dev.readthrough.runtime.internal.keys.KeyTemplate;
import dev.readthrough.runtime.internal.metrics.EngineMeters;
import dev.readthrough.runtime.internal.near.NearTier;
import dev.readthrough.runtime.internal.near.NearTiers;
import dev.readthrough.runtime.internal.redis.RedisGuard;
import dev.readthrough.runtime.internal.redis.RedisStore;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import dev.readthrough.weaver.CacheInterceptors;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running cache: owns the Redis connection and serves every woven method of this JVM from
 * {@link #start(ReadThroughConfig)} until {@link #close()}.
 *
 * <p>Starting never fails because Redis is down: the engine then runs woven methods uncached and a
 * background probe connects as soon as Redis answers, after which caching resumes by itself. Only
 * one engine serves a JVM at a time.
 */
public final class ReadThroughEngine implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  private final ReadThroughConfig config;
  private final RedisStore store;
  private final RedisGuard guard;
  private final SingleFlight flights;
  private final RequestPath path;
  private final CachingInterceptor interceptor;
  private final ScheduledExecutorService probes;
  private final @Nullable EngineMeters meters;
  private volatile boolean closed;

  private ReadThroughEngine(ReadThroughConfig config, @Nullable Object meterRegistry) {
    this.config = config;
    this.store = new RedisStore(config);
    this.probes =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "readthrough-probe");
              thread.setDaemon(true);
              return thread;
            });
    RateLimitedLog log = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(10));
    this.guard = new RedisGuard(store, config, probes, log);
    this.flights = new SingleFlight(probes);
    NearTiers near = new NearTiers(config, store::redissonConfig);
    guard.tell(near);
    this.path = new RequestPath(config, guard, flights, near);
    RedisGuard redis = guard;
    this.meters =
        meterRegistry == null ? null : new EngineMeters(meterRegistry, () -> !redis.isUp());
    this.interceptor =
        new CachingInterceptor(config, path, log, meters == null ? (c, n) -> {} : meters::bind);
  }

  /**
   * Starts the engine and installs it into the woven aspect. Returns promptly even when Redis is
   * unreachable: woven methods then run uncached until a probe finds Redis.
   *
   * @throws IllegalArgumentException if the Redisson YAML file cannot be read or is not a valid
   *     configuration: a mistake to fix, not an outage to wait out
   * @throws IllegalStateException if another engine is running in this JVM
   */
  public static ReadThroughEngine start(ReadThroughConfig config) {
    Objects.requireNonNull(config, "config");
    return start(config, config.meterRegistry());
  }

  /**
   * Starts the engine with the meters in {@code meterRegistry} (a Micrometer {@code MeterRegistry},
   * or {@code null}), as {@link #start(ReadThroughConfig)} does: for {@link ReadThroughModule},
   * which finds the registry in the injector.
   */
  static ReadThroughEngine start(ReadThroughConfig config, @Nullable Object meterRegistry) {
    ReadThroughEngine engine = new ReadThroughEngine(config, meterRegistry);
    try {
      CacheInterceptors.install(engine.interceptor);
    } catch (IllegalStateException e) {
      engine.probes.shutdownNow();
      if (engine.meters != null) {
        engine.meters.close();
      }
      throw e;
    }
    try {
      engine.store.check();
      engine.guard.connected();
      LOG.info("Readthrough engine started: {}", config);
    } catch (RedisStore.StoreException e) {
      LOG.warn(
          "Readthrough engine started without Redis; cached methods run uncached until it answers: {}",
          e.getMessage());
      engine.guard.unavailable(e.getMessage());
    }
    return engine;
  }

  /** Returns the configuration this engine runs with. */
  public ReadThroughConfig config() {
    return config;
  }

  /**
   * Returns whether cached calls currently use Redis: false while it is known to be down, and in a
   * Cluster while any shard of it is (the other shards' keys are still cached then).
   */
  public boolean isRedisAvailable() {
    return !closed && store.isConnected() && guard.isUp();
  }

  /**
   * Removes the entry of {@code cache} whose key parts are {@code parts}, formatted exactly as the
   * woven methods format their arguments. Fails open: if Redis is down the delete is counted,
   * logged, kept, and sent once Redis answers, before caching resumes.
   *
   * @throws IllegalArgumentException if the cache name is invalid or a part has no stable text
   */
  public void invalidate(String cache, @Nullable Object... parts) {
    String head = head(cache);
    String key = KeyTemplate.keyFor(head, parts);
    flights.supersede(key);
    guard.delete(interceptor.counters(cache), head, key, "invalidate(\"" + cache + "\")");
  }

  /**
   * Removes every entry of {@code cache}, scanning with SCAN (never KEYS).
   *
   * @return how many entries were removed (0 if Redis is down: the clear is then kept and sent once
   *     Redis answers, before caching resumes)
   * @throws IllegalArgumentException if the cache name is invalid
   */
  public long invalidateAll(String cache) {
    String head = head(cache);
    flights.supersedeAll(head);
    return guard.clear(interceptor.counters(cache), head, "invalidateAll(\"" + cache + "\")");
  }

  /**
   * Returns whether this JVM holds a local copy ({@code localTtlSeconds}) of the entry of {@code
   * cache} whose key parts are {@code parts}, formatted as for {@link #invalidate(String,
   * Object...)}: a call for it now would be answered without Redis, unless the copy is dropped
   * first. Looking does not count as a read. False for a cache without a local tier, or not used
   * yet.
   *
   * @throws IllegalArgumentException if the cache name is invalid or a part has no stable text
   */
  public boolean isHeldLocally(String cache, @Nullable Object... parts) {
    String head = head(cache);
    NearTier tier = path.near.existing(head);
    return tier != null && tier.holds(KeyTemplate.keyFor(head, parts));
  }

  /** Returns the counters of {@code cache} since start; all zero for a cache not yet used. */
  public CacheStats stats(String cache) {
    Objects.requireNonNull(cache, "cache");
    CacheCounters counters = interceptor.allCounters().get(cache);
    return counters == null ? CacheStats.empty() : counters.snapshot();
  }

  /** Returns the counters of every cache used since start, by cache name. */
  public Map<String, CacheStats> stats() {
    Map<String, CacheStats> all = new TreeMap<>();
    interceptor.allCounters().forEach((cache, counters) -> all.put(cache, counters.snapshot()));
    return all;
  }

  /**
   * Returns how many loads are under way in this JVM: a method running for a call that missed, or
   * its result on its way to Redis. A call for the key of one shares its result instead of reading
   * Redis, so a test that wants a hit waits until none is left.
   */
  public int loadsInFlight() {
    return flights.size();
  }

  /**
   * Returns the Redis key a cached method would use for these arguments, such as {@code
   * rt:users:42}.
   *
   * @throws CacheDeclarationException if the method's cache annotations are invalid
   */
  public String keyFor(Method method, @Nullable Object... args) {
    return interceptor.plan(method).keyFor(args);
  }

  /**
   * Checks the cache annotations of every method of these classes now, instead of at each method's
   * first call, and that the build wove them: a cached method that only {@code javac} compiled
   * would run uncached without a word.
   *
   * @throws CacheDeclarationException listing every problem found, each naming its method
   */
  public void validate(Class<?>... classes) {
    List<String> problems = new ArrayList<>();
    for (Class<?> type : classes) {
      for (Method method : Weaving.unwoven(type)) {
        problems.add(Weaving.problem(method));
      }
      for (Method method : type.getDeclaredMethods()) {
        if (Weaving.isCached(method)) {
          try {
            interceptor.plan(method);
          } catch (CacheDeclarationException e) {
            problems.addAll(e.problems());
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new CacheDeclarationException(problems);
    }
  }

  /**
   * Logs one error for each of these classes whose cached methods were not woven; they would run
   * uncached without a word. Checks only the classes given, as the Guice module gives the classes
   * bound in its injector.
   *
   * @return how many classes were not woven
   */
  int reportUnwoven(Iterable<Class<?>> classes) {
    int found = 0;
    for (Class<?> type : classes) {
      List<Method> unwoven = Weaving.unwoven(type);
      if (!unwoven.isEmpty()) {
        found++;
        LOG.error(Weaving.classProblem(type, unwoven));
      }
    }
    return found;
  }

  private String head(String cache) {
    Objects.requireNonNull(cache, "cache");
    if (!Plans.DERIVED_NAME.matcher(cache).matches()) { // NAME's characters and more
      throw new IllegalArgumentException("invalid cache name: \"" + cache + "\"");
    }
    return config.keyPrefix() + ":" + cache + ":";
  }

  /** Uninstalls the engine from the aspect and closes the Redis connection it created. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CacheInterceptors.uninstall(interceptor);
    guard.shutDown();
    probes.shutdownNow();
    path.close();
    store.close();
    if (meters != null) {
      meters.close();
    }
    LOG.info("Readthrough engine closed");
  }

  /** The near tiers, for tests of local copies. */
  NearTiers nearTiers() {
    return path.near;
  }

  /** The single-flight table, for tests that force an interleaving. */
  SingleFlight flights() {
    return flights;
  }

  /** The read pipeline, for tests that force an interleaving. */
  RequestPath path() {
    return path;
  }

  /** The Redis guard, for tests that force an interleaving. */
  RedisGuard guard() {
    return guard;
  }

  @Override
  public String toString() {
    return "ReadThroughEngine{" + config + (closed ? ", closed" : "") + "}";
  }
}
