package dev.readthrough.runtime;

import dev.readthrough.weaver.CacheInterceptor;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.reflect.MethodSignature;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs woven calls against Redis: read-through with single-flight, write-through and
 * invalidation, failing open on every Redis or decoding problem and never on the method's own.
 *
 * <p>Fail-open is one policy applied in one place: {@link RedisStore.StoreException} (Redis I/O)
 * and {@link CodecException} (decoding) become misses or skipped writes. The method's exceptions
 * pass through as the same instance, and nothing is stored, written or invalidated for that call.
 */
final class CachingInterceptor implements CacheInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  /** What {@code decode} returns for an entry that must be treated as a miss. */
  private static final Object UNUSABLE = new Object();

  private final ReadThroughConfig config;
  private final long timeoutNanos;
  private final RedisStore store;
  private final CircuitBreaker breaker;
  private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(10));
  /** Plans by join point, the key of the hot path: a failed parse is kept as its exception. */
  private final ConcurrentHashMap<JoinPoint.StaticPart, Object> plans = new ConcurrentHashMap<>();
  /** Plans by method, shared by validate(), keyFor() and the method's join point. */
  private final ConcurrentHashMap<Method, MethodPlan> byMethod = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CacheCounters> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();
  private final Map<Method, Boolean> warnedOnce = new ConcurrentHashMap<>();

  CachingInterceptor(ReadThroughConfig config, RedisStore store, CircuitBreaker breaker) {
    this.config = config;
    this.timeoutNanos = config.operationTimeout().toNanos();
    this.store = store;
    this.breaker = breaker;
  }

  CacheCounters counters(String cache) {
    return counters.computeIfAbsent(cache, c -> new CacheCounters());
  }

  Map<String, CacheCounters> allCounters() {
    return counters;
  }

  @Override
  public @Nullable Object intercept(ProceedingJoinPoint call) throws Throwable {
    MethodPlan plan = plan(call.getStaticPart());
    switch (plan.kind) {
      case READ_THROUGH:
        return readThrough(plan, call);
      case WRITE_THROUGH:
        return writeThrough(plan, call);
      default:
        Object result = call.proceed();
        invalidate(plan, call.getArgs());
        return result;
    }
  }

  /** Returns the plan of a join point, parsing it on its first call. */
  MethodPlan plan(JoinPoint.StaticPart staticPart) {
    Object plan = plans.get(staticPart);
    if (plan == null) {
      plan = plans.computeIfAbsent(staticPart, this::parse);
    }
    if (plan instanceof CacheDeclarationException e) {
      throw new CacheDeclarationException(e.problems());
    }
    return (MethodPlan) plan;
  }

  private Object parse(JoinPoint.StaticPart staticPart) {
    MethodSignature signature = (MethodSignature) staticPart.getSignature();
    Method method = signature.getMethod();
    try {
      return byMethod.computeIfAbsent(
          method, m -> Plans.parse(m, signature.getParameterNames(), config, this::counters));
    } catch (CacheDeclarationException e) {
      return e;
    }
  }

  /**
   * Returns the plan of a method outside any call, for up-front validation; a woven call of the
   * same method later uses the same plan.
   */
  MethodPlan plan(Method method) {
    return byMethod.computeIfAbsent(method, m -> Plans.parse(m, null, config, this::counters));
  }

  private @Nullable Object readThrough(MethodPlan plan, ProceedingJoinPoint call) throws Throwable {
    CacheCounters stats = plan.counters;
    String key = plan.key.keyFor(call.getArgs());
    Flight running = flights.get(key);
    if (running != null && !running.stale && !running.isRunningIn(Thread.currentThread())) {
      // a load of this key is under way or just finished: share it rather than race its store
      Object shared = running.await();
      stats.hits.increment();
      return shared;
    }
    if (breaker.isClosed()) {
      byte[] bytes = null;
      boolean readOk = false;
      try {
        bytes = store.get(key);
        breaker.recordSuccess();
        readOk = true;
      } catch (RedisStore.StoreException e) {
        redisFailed(plan, stats, "GET " + key, e);
      }
      if (readOk && bytes != null) {
        Object decoded = decode(plan, stats, key, bytes);
        if (decoded != UNUSABLE) {
          stats.hits.increment();
          return decoded;
        }
      }
      if (readOk) {
        stats.misses.increment();
      }
    } else {
      stats.bypassed.increment();
    }
    return load(plan, call, key);
  }

  /**
   * Returns the decoded result (possibly null), or {@link #UNUSABLE} when the entry cannot be
   * used and the call must be treated as a miss.
   */
  private @Nullable Object decode(MethodPlan plan, CacheCounters stats, String key, byte[] bytes) {
    try {
      Object value = plan.codec.decode(bytes);
      if (value == null) {
        if (!plan.cacheNulls) {
          return UNUSABLE; // written while cacheNulls was on; honour the annotation as it is now
        }
        return plan.optionalReturn ? Optional.empty() : null;
      }
      return plan.optionalReturn ? Optional.of(value) : value;
    } catch (CodecException e) {
      stats.errors.increment();
      stats.decodeFailures.increment();
      rateLimited.warn("decode:" + plan.cache,
          "Unreadable cache entry " + key + " for " + plan.description + " treated as a miss and replaced: " + e.getMessage());
      return UNUSABLE;
    }
  }

  /** Runs the method once per key in this JVM, sharing the result with concurrent callers. */
  private @Nullable Object load(MethodPlan plan, ProceedingJoinPoint call, String key) throws Throwable {
    Flight mine = new Flight();
    Flight running = flights.putIfAbsent(key, mine);
    while (running != null && running.stale && !running.isRunningIn(Thread.currentThread())) {
      // invalidated or overwritten while it loaded: its result must not serve calls made after
      running = flights.replace(key, running, mine) ? null : flights.putIfAbsent(key, mine);
    }
    if (running != null) {
      if (running.isRunningIn(Thread.currentThread())) {
        return call.proceed(); // the method calls itself with the same key: no deadlock
      }
      Object shared = running.await();
      plan.counters.hits.increment();
      return shared;
    }
    Object result;
    boolean stored = false;
    try {
      DistributedLoad distributed = config.distributedLock() && breaker.isClosed()
          ? lockAndReread(plan, key) : DistributedLoad.NONE;
      try {
        if (distributed.found) {
          result = distributed.value;
        } else {
          result = call.proceed();
        }
      } catch (Throwable t) {
        distributed.unlock();
        throw t;
      }
      if (distributed.lock != null) {
        try {
          if (!distributed.found) {
            storeNow(plan, key, result, mine);
          }
        } finally {
          distributed.unlock();
        }
        stored = true;
      }
    } catch (Throwable t) {
      mine.fail(t);
      flights.remove(key, mine);
      throw t;
    }
    mine.succeed(result);
    if (!stored && storeLater(plan, key, result, mine)) {
      return result; // the flight leaves the map once the store completes
    }
    flights.remove(key, mine);
    return result;
  }

  /**
   * Encodes and stores a result without waiting for Redis; the flight stays visible to late
   * callers until the store completes, so they share the result instead of running the method.
   *
   * @return whether a store was started
   */
  private boolean storeLater(MethodPlan plan, String key, @Nullable Object result, Flight flight) {
    byte[] bytes = encodeForStore(plan, result);
    if (bytes == null || flight.stale || !breaker.isClosed()) {
      return false;
    }
    plan.counters.writes.increment();
    CompletableFuture<Void> pending = store.setAsync(key, bytes, ttlMillis(plan.ttlMillis));
    flight.store = pending;
    pending.whenComplete((ok, error) -> {
      flights.remove(key, flight);
      if (error != null) {
        plan.counters.errors.increment();
        rateLimited.warn("store:" + plan.cache, "Storing " + key + " for " + plan.description
            + " failed; the result was returned uncached: " + RedisStore.safeMessage(error));
      }
    });
    return true;
  }

  private void storeNow(MethodPlan plan, String key, @Nullable Object result, @Nullable Flight flight) {
    byte[] bytes = encodeForStore(plan, result);
    if (bytes == null || flight != null && flight.stale || !breaker.isClosed()) {
      return;
    }
    plan.counters.writes.increment();
    try {
      store.set(key, bytes, ttlMillis(plan.ttlMillis));
    } catch (RedisStore.StoreException e) {
      plan.counters.errors.increment();
      rateLimited.warn("store:" + plan.cache, "Storing " + key + " for " + plan.description
          + " failed; the result was returned uncached: " + e.getMessage());
    }
  }

  /** Returns the bytes to store for a result, or {@code null} if it is not to be cached. */
  private byte @Nullable [] encodeForStore(MethodPlan plan, @Nullable Object result) {
    Object value = result;
    if (plan.optionalReturn) {
      value = result == null ? null : ((Optional<?>) result).orElse(null);
    }
    if (value == null && !plan.cacheNulls) {
      return null;
    }
    try {
      return plan.codec.encode(value);
    } catch (TooLargeException e) {
      plan.counters.skippedTooLarge.increment();
      if (warnedOnce.putIfAbsent(plan.method, Boolean.TRUE) == null) {
        LOG.warn("{}: results larger than maxValueBytes = {} are returned but not cached ({})",
            plan.description, config.maxValueBytes(), e.getMessage());
      }
      return null;
    } catch (CodecException e) {
      plan.counters.errors.increment();
      rateLimited.warn("encode:" + plan.cache, plan.description + " returned a value that is not cached: "
          + e.getMessage() + ". Classes reachable from the return type are allowed; add others with"
          + " ReadThroughConfig.builder().allowClasses(...)");
      return null;
    }
  }

  /** Shortens the TTL by up to the configured jitter; never lengthens it. */
  long ttlMillis(long ttlMillis) {
    double jitter = config.ttlJitter();
    if (jitter == 0) {
      return ttlMillis;
    }
    long cut = (long) (ttlMillis * jitter * ThreadLocalRandom.current().nextDouble());
    return Math.max(1, ttlMillis - cut);
  }

  private @Nullable Object writeThrough(MethodPlan plan, ProceedingJoinPoint call) throws Throwable {
    Object[] args = call.getArgs();
    String key = plan.key.keyFor(args);
    Object result = call.proceed();
    Flight loading = flights.get(key);
    if (loading != null) {
      loading.stale = true;
      loading.awaitStore(timeoutNanos);
    }
    if (breaker.isClosed()) {
      storeNow(plan, key, result, null);
    } else {
      plan.counters.bypassed.increment();
    }
    invalidate(plan, args);
    return result;
  }

  private void invalidate(MethodPlan plan, @Nullable Object[] args) {
    for (MethodPlan.Invalidation invalidation : plan.invalidations) {
      if (invalidation.allEntries()) {
        invalidateAll(invalidation.cache(), invalidation.head(), plan.description);
      } else {
        String key = invalidation.key().keyFor(args);
        invalidateKey(invalidation.cache(), key, plan.description);
      }
    }
  }

  void invalidateKey(String cache, String key, String origin) {
    Flight loading = flights.get(key);
    if (loading != null) {
      loading.stale = true;
      loading.awaitStore(timeoutNanos);
    }
    CacheCounters stats = counters(cache);
    if (!breaker.isClosed()) {
      stats.errors.increment();
      rateLimited.warn("invalidate:" + cache, "Redis is down: " + key + " was not invalidated for " + origin);
      return;
    }
    try {
      store.delete(key);
      breaker.recordSuccess();
    } catch (RedisStore.StoreException e) {
      stats.errors.increment();
      breaker.recordFailure();
      rateLimited.warn("invalidate:" + cache, "Invalidating " + key + " for " + origin + " failed: " + e.getMessage());
    }
  }

  long invalidateAll(String cache, String head, String origin) {
    markStale(head);
    CacheCounters stats = counters(cache);
    if (!breaker.isClosed()) {
      stats.errors.increment();
      rateLimited.warn("invalidate:" + cache, "Redis is down: cache " + cache + " was not cleared for " + origin);
      return 0;
    }
    try {
      long deleted = store.deleteAll(head);
      breaker.recordSuccess();
      return deleted;
    } catch (RedisStore.StoreException e) {
      stats.errors.increment();
      breaker.recordFailure();
      rateLimited.warn("invalidate:" + cache, "Clearing cache " + cache + " for " + origin + " failed: " + e.getMessage());
      return 0;
    }
  }

  /** Stops unsent stores under {@code head} and waits for the sent ones to land first. */
  private void markStale(String head) {
    flights.forEach((key, flight) -> {
      if (key.startsWith(head)) {
        flight.stale = true;
      }
    });
    flights.forEach((key, flight) -> {
      if (key.startsWith(head)) {
        flight.awaitStore(timeoutNanos);
      }
    });
  }

  private void redisFailed(MethodPlan plan, CacheCounters stats, String operation, RedisStore.StoreException e) {
    stats.errors.increment();
    breaker.recordFailure();
    rateLimited.warn("redis", operation + " for " + plan.description + " failed; the call runs uncached: " + e.getMessage());
  }

  /** Takes the cross-JVM lock for a key and looks again: another JVM may have loaded it. */
  private DistributedLoad lockAndReread(MethodPlan plan, String key) {
    RLock lock;
    try {
      lock = store.requireClient().getLock(config.keyPrefix() + "-lock:" + key.substring(config.keyPrefix().length() + 1));
      boolean acquired = lock.tryLock(config.lockWait().toMillis(), config.lockLease().toMillis(), TimeUnit.MILLISECONDS);
      if (!acquired) {
        rateLimited.warn("lock:" + plan.cache, "Waited " + config.lockWait() + " for the lock on " + key
            + "; running " + plan.description + " without it");
        return DistributedLoad.NONE;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DistributedLoad.NONE;
    } catch (RuntimeException | RedisStore.StoreException e) {
      plan.counters.errors.increment();
      rateLimited.warn("lock:" + plan.cache, "Locking " + key + " failed; running " + plan.description
          + " without the lock: " + RedisStore.safeMessage(e));
      return DistributedLoad.NONE;
    }
    try {
      byte[] bytes = store.get(key);
      if (bytes != null) {
        Object decoded = decode(plan, plan.counters, key, bytes);
        if (decoded != UNUSABLE) {
          return new DistributedLoad(lock, true, decoded);
        }
      }
    } catch (RedisStore.StoreException e) {
      plan.counters.errors.increment();
    }
    return new DistributedLoad(lock, false, null);
  }

  /** The state of a load under the distributed lock. */
  private static final class DistributedLoad {
    static final DistributedLoad NONE = new DistributedLoad(null, false, null);

    final @Nullable RLock lock;
    final boolean found;
    final @Nullable Object value;

    DistributedLoad(@Nullable RLock lock, boolean found, @Nullable Object value) {
      this.lock = lock;
      this.found = found;
      this.value = value;
    }

    void unlock() {
      if (lock == null) {
        return;
      }
      try {
        lock.unlock();
      } catch (RuntimeException e) {
        // the lease expires by itself; Redis may be down
      }
    }
  }
}
