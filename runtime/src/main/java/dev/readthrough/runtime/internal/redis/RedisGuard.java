package dev.readthrough.runtime.internal.redis;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.internal.call.CacheCounters;
import dev.readthrough.runtime.internal.call.Recorder;
import dev.readthrough.runtime.internal.resilience.CircuitBreaker;
import dev.readthrough.runtime.internal.resilience.InvalidationBacklog;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.redisson.api.AsyncIterator;
import org.redisson.api.RLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place every Redis operation of the engine goes through, and so the one place that decides
 * what a failure means: the call's fallback, the error counter, the breaker's input and the
 * rate-limited log line, all from the table in {@link Op}.
 *
 * <p>Fail-open lives here and nowhere else: no method of this class throws because of Redis. A read
 * that fails is {@link #UNAVAILABLE} (the call runs the method), a store that fails is only logged,
 * a delete that fails is kept in the {@link InvalidationBacklog} and delivered once Redis answers,
 * before caching resumes. While the breaker is open nothing is sent at all.
 *
 * <p>Every wait is bounded by the operation timeout plus {@link #MARGIN}, per call, however many
 * commands the call needs. The engine's reads, deletes and scans carry the operation timeout as
 * their own response timeout ({@link RedissonSettings#commandOptions}): Redisson's timer fails each
 * of them by itself, so a read waits for its future with a plain {@code get()}, without a timer or
 * a timed park of its own, and the commands of one call are sent together and answered (or failed)
 * together. Only waits that are not on the hit path keep a bounded wait of their own: {@link
 * #await} for commands sent without those options (stores, locks), and {@link #clear}, whose SCAN
 * steps follow one another, for the call's share of it.
 */
public final class RedisGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  /** What a read returns when Redis could not answer: compared by identity, never decoded. */
  public static final byte[] UNAVAILABLE = new byte[0];

  /** Keys per MGET, UNLINK and SCAN round trip. */
  public static final int BATCH = 500;

  /**
   * What a call may wait on Redis beyond the operation timeout: Redisson's timer fires a command's
   * timeout on its first tick at or past it ({@link RedissonSettings#TIMER_TICK} on the engine's
   * own client; a client the application hands in ticks as its own settings make it, 10 to 49 ms
   * with Redisson's defaults), and the thread it wakes must then be scheduled.
   */
  public static final Duration MARGIN = Duration.ofMillis(100);

  /**
   * The failure table: for each kind of operation, the command named in logs, what the call does
   * instead, whether a failure counts in the cache's {@code errors}, and whether it feeds the
   * breaker. Leases and stores after a miss do not feed it: a Redis that refuses writes (out of
   * memory, say) still serves reads, which do tell whether it is up.
   */
  public enum Op {
    READ("GET", "the call runs uncached", true, true),
    READ_MANY("MGET", "the call runs uncached", true, true),
    LEASE("lease (EVAL)", "the method runs, and its result is returned uncached", true, false),
    STORE("store under lease (EVAL)", "the result was returned uncached", true, false),
    RELEASE("lease release (EVAL)", "the lease ends with its TTL", true, false),
    WRITE("SET", "the old entry is removed once Redis answers", true, true),
    DELETE("UNLINK", "the delete is kept and sent once Redis answers", true, true),
    CLEAR("SCAN/UNLINK", "the clear is kept and sent once Redis answers", true, true),
    LOCK("lock", "the method runs without the lock", true, true),
    UNLOCK("unlock", "the lock's lease ends it", true, true),
    REPLAY("UNLINK (replay)", "the backlog is kept for the next probe", false, false);

    public final String command;
    public final String fallback;
    public final boolean countsError;
    public final boolean feedsBreaker;

    Op(String command, String fallback, boolean countsError, boolean feedsBreaker) {
      this.command = command;
      this.fallback = fallback;
      this.countsError = countsError;
      this.feedsBreaker = feedsBreaker;
    }
  }

  private final RedisStore store;
  private final LeaseScripts leases;
  private final ReadThroughConfig config;
  private final long timeoutNanos;
  private final CircuitBreaker breaker;
  private final InvalidationBacklog backlog;
  private final RateLimitedLog rateLimited;
  private final CacheCounters engineCounters = new CacheCounters();
  private final ScheduledExecutorService scheduler;
  private final java.util.concurrent.atomic.AtomicBoolean drainScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** What the last failed check said, written only by the start and the probe, in turn. */
  private volatile @Nullable String lastProblem;

  public RedisGuard(
      RedisStore store,
      ReadThroughConfig config,
      ScheduledExecutorService scheduler,
      RateLimitedLog log) {
    this.store = store;
    this.leases = new LeaseScripts(store);
    this.config = config;
    this.timeoutNanos = config.operationTimeout().toNanos();
    this.rateLimited = log;
    this.scheduler = scheduler;
    this.backlog = new InvalidationBacklog(config.invalidationBacklog());
    this.breaker =
        new CircuitBreaker(
            config.failureThreshold(),
            config.probeInterval().toMillis(),
            scheduler,
            this::recover,
            this::drainSoon);
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  public InvalidationBacklog backlog() {
    return backlog;
  }

  /** Whether calls may use Redis now: the breaker is closed. */
  public boolean isUp() {
    return breaker.isClosed();
  }

  /**
   * Whether a call may read or store {@code key} now: Redis is up and no delete of the key is still
   * owed to it.
   */
  public boolean mayUse(String key) {
    return breaker.isClosed() && !backlog.covers(key);
  }

  // ---- reads

  /**
   * Reads one key, waiting at most the operation timeout (and {@link #MARGIN}): the GET fails by
   * itself then, so the wait has no timeout of its own.
   *
   * @return the bytes, {@code null} if the key does not exist, or {@link #UNAVAILABLE}
   */
  public byte @Nullable [] read(CacheCounters counters, String key, String origin) {
    try {
      byte[] bytes = join(store.getAsync(key));
      breaker.recordSuccess();
      return bytes;
    } catch (Failure e) {
      failed(Op.READ, counters, key, origin, e.getCause());
      return UNAVAILABLE;
    }
  }

  /**
   * Reads one key without waiting: the future completes within the operation timeout (and {@link
   * #MARGIN}) with the bytes, {@code null} or {@link #UNAVAILABLE}, and never exceptionally. It may
   * complete on a Redisson I/O or timer thread: callers move to their own executor before running
   * anything else.
   */
  public CompletableFuture<byte @Nullable []> readAsync(
      CacheCounters counters, String key, String origin) {
    return store
        .getAsync(key)
        .handle(
            (bytes, error) -> {
              if (error != null) {
                failed(Op.READ, counters, key, origin, cause(error));
                return UNAVAILABLE;
              }
              breaker.recordSuccess();
              return bytes;
            });
  }

  /**
   * Reads many keys, one MGET per {@value #BATCH} keys, all sent at once: the call waits about one
   * round trip, and at most the operation timeout (and {@link #MARGIN}), however many batches.
   *
   * @return the bytes of the keys that exist, or {@code null} if Redis could not answer
   */
  public @Nullable Map<String, byte[]> readMany(
      CacheCounters counters, String[] keys, String origin) {
    // each MGET fails by itself at the timeout, and the async read's future never fails
    return readManyAsync(counters, keys, origin).join();
  }

  /** {@link #readMany} without waiting; the future holds {@code null} if Redis could not answer. */
  public CompletableFuture<@Nullable Map<String, byte[]>> readManyAsync(
      CacheCounters counters, String[] keys, String origin) {
    CompletableFuture<Map<String, byte[]>> all;
    if (keys.length <= BATCH) {
      all = store.getAllAsync(keys);
    } else {
      List<CompletableFuture<Map<String, byte[]>>> parts = new ArrayList<>();
      for (int from = 0; from < keys.length; from += BATCH) {
        parts.add(
            store.getAllAsync(Arrays.copyOfRange(keys, from, Math.min(keys.length, from + BATCH))));
      }
      all =
          allOrFirstFailure(parts)
              .thenApply(
                  done -> {
                    Map<String, byte[]> found = new HashMap<>();
                    parts.forEach(part -> found.putAll(part.join()));
                    return found;
                  });
    }
    return all.handle(
        (found, error) -> {
          if (error != null) {
            failed(Op.READ_MANY, counters, keys.length + " keys", origin, cause(error));
            return null;
          }
          breaker.recordSuccess();
          return found;
        });
  }

  /**
   * A future that completes once every one of {@code parts} completed normally, or as soon as one
   * fails, with its failure: a call that cannot use one batch's answer does not wait for the rest.
   */
  private static CompletableFuture<Void> allOrFirstFailure(
      List<? extends CompletableFuture<?>> parts) {
    if (parts.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> all = new CompletableFuture<>();
    AtomicInteger pending = new AtomicInteger(parts.size());
    for (CompletableFuture<?> part : parts) {
      part.whenComplete(
          (value, error) -> {
            if (error != null) {
              all.completeExceptionally(error);
            } else if (pending.decrementAndGet() == 0) {
              all.complete(null);
            }
          });
    }
    return all;
  }

  // ---- leases and the stores of loads: conditional, so that they never overtake a change

  /**
   * Takes the leases of keys a load is about to run the method for (see {@link
   * dev.readthrough.runtime.internal.call.Store}), waiting until {@code deadlineNanos} ({@link
   * System#nanoTime()}) at most.
   *
   * @param seen per key, the bytes its read found ({@code null}: none)
   * @return per key, {@code null} where the lease was taken, else what the key holds now; or {@code
   *     null} if Redis could not answer, and no lease was taken
   */
  public @Nullable List<byte @Nullable []> lease(
      Recorder counters,
      List<String> keys,
      List<byte @Nullable []> seen,
      byte[] lease,
      long leaseMillis,
      String origin,
      long deadlineNanos) {
    try {
      List<byte @Nullable []> held =
          await(
              leases.leaseAllAsync(keys, seen, lease, leaseMillis),
              Math.max(0, deadlineNanos - System.nanoTime()));
      breaker.recordSuccess();
      return held;
    } catch (Failure e) {
      failed(Op.LEASE, counters, describe(keys), origin, e.getCause());
      return null;
    }
  }

  /**
   * Stores loaded values under their leases, pipelined, without waiting. The future completes once
   * Redis answered, failed or timed out, and never exceptionally; a value whose lease was gone (an
   * invalidation or a write came first) is silently not stored.
   */
  public CompletableFuture<Void> storeLeased(
      Recorder counters,
      List<String> keys,
      List<byte[]> values,
      byte[] lease,
      long ttlMillis,
      String origin) {
    counters.recordStores(keys.size());
    return leases
        .storeLeasedAllAsync(keys, values, lease, ttlMillis)
        .handle(
            (stored, error) -> {
              if (error != null) {
                failed(Op.STORE, counters, describe(keys), origin, cause(error));
              }
              return null;
            });
  }

  /** Removes leases that no store will follow (the method threw, or its value is not cached). */
  public void release(Recorder counters, List<String> keys, byte[] lease, String origin) {
    leases
        .releaseAllAsync(keys, lease)
        .whenComplete(
            (released, error) -> {
              if (error != null) {
                failed(Op.RELEASE, counters, describe(keys), origin, cause(error));
              }
            });
  }

  // ---- writes and deletes that must not be lost

  /**
   * Stores the value a write-through produced and waits for Redis, up to the timeout. If that
   * fails, or Redis is known to be down, the old entry must not outlive the write: its delete is
   * kept in the backlog.
   */
  public void write(
      CacheCounters counters,
      String head,
      String key,
      byte @Nullable [] bytes,
      long ttlMillis,
      String origin) {
    if (bytes == null || !breaker.isClosed()) {
      // nothing to store (or no Redis to store it in): the entry written before must still go
      delete(counters, head, key, origin);
      return;
    }
    counters.recordStores(1);
    try {
      await(store.setAsync(key, bytes, ttlMillis));
      breaker.recordSuccess();
    } catch (Failure e) {
      failed(Op.WRITE, counters, key, origin, e.getCause());
      backlog.addKey(head, key);
      drainSoon();
    }
  }

  /** Deletes keys, waiting up to the timeout; what cannot be sent is kept in the backlog. */
  public void delete(CacheCounters counters, String head, String key, String origin) {
    deleteMany(counters, head, List.of(key), origin);
  }

  /**
   * Deletes keys, {@value #BATCH} per UNLINK, all sent at once: the call waits about one round
   * trip, and at most the operation timeout (and {@link #MARGIN}). The keys of a batch that could
   * not be sent are kept in the backlog.
   */
  public void deleteMany(CacheCounters counters, String head, List<String> keys, String origin) {
    if (keys.isEmpty()) {
      return;
    }
    if (!breaker.isClosed()) {
      keys.forEach(key -> backlog.addKey(head, key));
      counters.recordRedisError();
      rateLimited.warn(
          Op.DELETE.name() + ":" + head,
          "Redis is down: the delete of "
              + describe(keys)
              + " for "
              + origin
              + " is kept and sent once Redis answers");
      return;
    }
    List<List<String>> batches = new ArrayList<>();
    List<CompletableFuture<Long>> sent = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += BATCH) {
      List<String> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
      batches.add(batch);
      sent.add(store.unlinkAsync(batch.toArray(String[]::new)));
    }
    List<String> kept = new ArrayList<>();
    Throwable firstFailure = null;
    for (int i = 0; i < sent.size(); i++) {
      try {
        join(sent.get(i)); // each UNLINK fails by itself at the timeout
      } catch (Failure e) {
        kept.addAll(batches.get(i));
        if (firstFailure == null) {
          firstFailure = e.getCause();
        }
      }
    }
    if (kept.isEmpty()) {
      breaker.recordSuccess();
      return;
    }
    failed(Op.DELETE, counters, describe(kept), origin, firstFailure);
    kept.forEach(key -> backlog.addKey(head, key));
    drainSoon();
  }

  /**
   * Removes every key that starts with {@code head}, scanning. The call waits at most the operation
   * timeout (and {@link #MARGIN}); a clear that needs longer (a large keyspace, a slow Redis) is
   * kept in the backlog and finished from there, in the background, and until then no entry under
   * {@code head} is read or stored. A clear that fails is kept the same way.
   *
   * @return how many keys were removed before the call returned
   */
  public long clear(CacheCounters counters, String head, String origin) {
    if (!breaker.isClosed()) {
      backlog.addHead(head);
      counters.recordRedisError();
      rateLimited.warn(
          Op.CLEAR.name() + ":" + head,
          "Redis is down: clearing "
              + head
              + "* for "
              + origin
              + " is kept and sent once Redis answers");
      return 0;
    }
    Clearing clearing = new Clearing();
    clearing.start(head);
    try {
      // a bounded wait of the guard's own: a clear is many commands one after another, and not
      // on the hit path. Half the margin, so that a SCAN step Redisson fails at the timeout still
      // counts as the failure it is, and the call still returns within the margin.
      long removed = clearing.done.get(timeoutNanos + MARGIN.toNanos() / 2, TimeUnit.NANOSECONDS);
      breaker.recordSuccess();
      return removed;
    } catch (TimeoutException e) {
      clearing.done.cancel(false); // stops after the command under way; the backlog goes on
      backlog.addHead(head);
      drainSoon();
      rateLimited.warn(
          Op.CLEAR.name() + ":" + head,
          "Clearing "
              + head
              + "* for "
              + origin
              + " takes longer than "
              + Duration.ofNanos(timeoutNanos).toMillis()
              + " ms; it is kept and finished in the background, and the cache is not used"
              + " until then");
      return clearing.removed.get();
    } catch (ExecutionException e) {
      failed(Op.CLEAR, counters, head + "*", origin, cause(e));
      backlog.addHead(head);
      drainSoon();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clearing.done.cancel(false);
      backlog.addHead(head);
      drainSoon();
      return clearing.removed.get();
    }
  }

  private long clearNow(String head) throws Failure {
    // replayed from the backlog in the background: no caller waits, each command is bounded
    Long removed = join(new Clearing().start(head));
    return removed == null ? 0 : removed;
  }

  /**
   * One clear under way: SCAN steps one after another, each full batch of keys found unlinked at
   * once without waiting for it, so that the UNLINKs overlap the SCAN. {@link #done} completes with
   * how many keys were removed once the SCAN ended and every UNLINK was answered, or fails with the
   * first failure; cancelling it stops the clear after the command under way.
   */
  private final class Clearing {
    public final CompletableFuture<Long> done = new CompletableFuture<>();
    public final AtomicLong removed = new AtomicLong();
    private final List<CompletableFuture<Long>> unlinks = new ArrayList<>();
    private @Nullable AsyncIterator<String> keys;
    private List<String> batch = new ArrayList<>(BATCH);

    /** Sends the first SCAN step; returns {@link #done}. */
    public CompletableFuture<Long> start(String head) {
      try {
        keys = store.scan(head, BATCH);
      } catch (RedisStore.StoreException | RuntimeException e) {
        done.completeExceptionally(e);
        return done;
      }
      step();
      return done;
    }

    /** Takes every key found so far, then waits for the next SCAN step, or finishes. */
    private void step() {
      AsyncIterator<String> scan = Objects.requireNonNull(keys);
      try {
        while (!done.isDone()) {
          CompletableFuture<Boolean> more = scan.hasNext().toCompletableFuture();
          if (!more.isDone()) {
            more.whenComplete(
                (found, error) -> {
                  if (error != null) {
                    done.completeExceptionally(cause(error));
                  } else if (take(scan, Boolean.TRUE.equals(found))) {
                    step();
                  }
                });
            return;
          }
          if (!take(scan, more.join())) {
            return;
          }
        }
      } catch (RuntimeException e) {
        done.completeExceptionally(cause(e));
      }
    }

    /** Takes the next key if there is one, or finishes; returns whether the scan goes on. */
    private boolean take(AsyncIterator<String> scan, boolean found) {
      if (done.isDone()) {
        return false;
      }
      if (!found) {
        finish();
        return false;
      }
      try {
        // after hasNext() held true, next() hands out a key of the page at hand at once
        batch.add(scan.next().toCompletableFuture().join());
      } catch (RuntimeException e) {
        done.completeExceptionally(cause(e));
        return false;
      }
      if (batch.size() == BATCH) {
        unlink();
      }
      return true;
    }

    private void unlink() {
      CompletableFuture<Long> sent = store.unlinkAsync(batch.toArray(String[]::new));
      batch = new ArrayList<>(BATCH);
      unlinks.add(sent);
      sent.whenComplete(
          (count, error) -> {
            if (error != null) {
              done.completeExceptionally(cause(error));
            } else if (count != null) {
              removed.addAndGet(count);
            }
          });
    }

    private void finish() {
      if (!batch.isEmpty()) {
        unlink();
      }
      allOrFirstFailure(unlinks)
          .whenComplete(
              (ignored, error) -> {
                if (error != null) {
                  done.completeExceptionally(cause(error));
                } else {
                  done.complete(removed.get());
                }
              });
    }
  }

  // ---- the distributed lock

  /** A held cross-JVM lock, released with {@link #unlock}. */
  public record Lock(RLock lock, long owner) {}

  /**
   * Takes the cross-JVM lock of {@code key}, waiting for another JVM's load up to the configured
   * lock wait plus the operation timeout for the round trip.
   *
   * @return the lock, or {@code null} if it was not taken (the method then runs without it)
   */
  public @Nullable Lock lock(CacheCounters counters, String key, String origin) {
    long owner = java.util.concurrent.ThreadLocalRandom.current().nextLong();
    long leaseMillis = config.lockLease().toMillis();
    long waitMillis = config.lockWait().toMillis();
    try {
      RLock lock = store.lock(key);
      // first one round trip, bounded by the operation timeout like every other command: a Redis
      // that is down or hung is found here, not after the whole lock wait
      Boolean acquired = await(lock.tryLockAsync(0, leaseMillis, TimeUnit.MILLISECONDS, owner));
      if (!Boolean.TRUE.equals(acquired)) {
        // another JVM holds it: wait for its load, as long as the configured lock wait
        acquired =
            await(
                lock.tryLockAsync(waitMillis, leaseMillis, TimeUnit.MILLISECONDS, owner),
                TimeUnit.MILLISECONDS.toNanos(waitMillis) + timeoutNanos);
      }
      breaker.recordSuccess();
      if (!Boolean.TRUE.equals(acquired)) {
        rateLimited.warn(
            Op.LOCK.name() + ":" + origin,
            "Waited "
                + config.lockWait()
                + " for the lock on "
                + key
                + "; running "
                + origin
                + " without it");
        return null;
      }
      return new Lock(lock, owner);
    } catch (RedisStore.StoreException | RuntimeException e) {
      failed(Op.LOCK, counters, key, origin, e);
      return null;
    } catch (Failure e) {
      failed(Op.LOCK, counters, key, origin, e.getCause());
      return null;
    }
  }

  /** Releases a lock taken by {@link #lock}, waiting up to the operation timeout. */
  public void unlock(CacheCounters counters, Lock lock, String key, String origin) {
    try {
      await(lock.lock().unlockAsync(lock.owner()).toCompletableFuture());
      breaker.recordSuccess();
    } catch (RuntimeException e) {
      failed(Op.UNLOCK, counters, key, origin, e);
    } catch (Failure e) {
      failed(Op.UNLOCK, counters, key, origin, e.getCause());
    }
  }

  // ---- recovery, run by the breaker's probe; draining, while the breaker is closed

  /**
   * Sends what the backlog holds soon, while the breaker is closed: a delete that timed out without
   * opening the breaker, or one kept between the probe's replay and its closing the breaker, must
   * not wait for the next outage. One drain is scheduled at a time; a drain that fails schedules
   * the next, and an open breaker hands the backlog to its probe instead.
   */
  public void drainSoon() {
    if (backlog.isEmpty() || !drainScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      scheduler.schedule(this::drain, config.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      drainScheduled.set(false); // the engine is closing
    }
  }

  private void drain() {
    drainScheduled.set(false);
    if (!breaker.isClosed()) {
      return; // the probe replays the backlog before it closes the breaker
    }
    if (!replay()) {
      drainSoon();
    }
  }

  /**
   * Whether Redis answers again and everything the backlog holds has been delivered: the probe
   * closes the breaker only then, so no entry owed a delete is served once caching resumes. What
   * else it throws is the probe's to log ({@link CircuitBreaker}), never swallowed here.
   */
  public boolean recover() {
    try {
      store.check();
    } catch (RedisStore.StoreException e) {
      if (store.isClosed()) {
        return false; // the engine closed during this probe: nothing to report
      }
      String problem = String.valueOf(e.getMessage());
      if (!problem.equals(lastProblem)) { // an outage logs what changed, not each probe
        lastProblem = problem;
        LOG.warn("Redis is still unavailable: {}", problem);
      }
      return false;
    }
    lastProblem = null;
    return replay();
  }

  /**
   * Opens the breaker because Redis cannot be reached at start; {@code problem} is what was logged
   * about it, so that probes log only a different one.
   */
  public void unavailable(@Nullable String problem) {
    lastProblem = problem;
    breaker.open();
  }

  /** Sends what the backlog holds; returns whether it is empty now. */
  private boolean replay() {
    boolean delivered =
        backlog.replay(
            new InvalidationBacklog.Sender() {
              @Override
              public boolean unlink(List<String> keys) {
                try {
                  await(store.unlinkAsync(keys.toArray(String[]::new)));
                  return true;
                } catch (Failure e) {
                  failed(
                      Op.REPLAY,
                      engineCounters,
                      describe(keys),
                      "the invalidation backlog",
                      e.getCause());
                  return false;
                }
              }

              @Override
              public boolean clear(String head) {
                try {
                  clearNow(head);
                  return true;
                } catch (Failure e) {
                  failed(
                      Op.REPLAY,
                      engineCounters,
                      head + "*",
                      "the invalidation backlog",
                      e.getCause());
                  return false;
                }
              }
            },
            BATCH);
    if (delivered) {
      LOG.debug("Invalidation backlog delivered");
    }
    return delivered;
  }

  // ---- the policy

  private void failed(
      Op op, Recorder counters, String what, String origin, @Nullable Throwable error) {
    if (op.countsError) {
      counters.recordRedisError();
    }
    if (op.feedsBreaker) {
      breaker.recordFailure();
    }
    rateLimited.warn(
        op.name() + ":" + origin,
        op.command
            + " "
            + what
            + " for "
            + origin
            + " failed ("
            + describe(error)
            + "); "
            + op.fallback);
  }

  private String describe(@Nullable Throwable error) {
    if (error instanceof TimeoutException) {
      return "no answer within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms";
    }
    return error == null ? "unknown failure" : RedisStore.safeMessage(error);
  }

  private static String describe(List<String> keys) {
    return keys.size() == 1 ? keys.get(0) : keys.size() + " keys";
  }

  private static Throwable cause(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException
            || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * Waits for a command the engine sends with its own response timeout ({@link
   * RedissonSettings#commandOptions}): it fails by itself once that passed, so the wait needs none;
   * a plain {@code get()}, as Redisson's own blocking calls wait ({@code CommandAsyncService.get}).
   */
  private static <T extends @Nullable Object> @Nullable T join(CompletableFuture<T> future)
      throws Failure {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new Failure(cause(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new Failure(e);
    }
  }

  /**
   * Waits up to the operation timeout for a command that may have been sent without the engine's
   * response timeout (a store, a lock, an unlock: on a client of the application's, these carry its
   * own timeout and retries). Not on the hit path.
   */
  private <T extends @Nullable Object> @Nullable T await(CompletionStage<T> stage) throws Failure {
    return await(stage, timeoutNanos);
  }

  private <T extends @Nullable Object> @Nullable T await(CompletionStage<T> stage, long nanos)
      throws Failure {
    CompletableFuture<T> future = stage.toCompletableFuture();
    try {
      return future.get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new Failure(e);
    } catch (ExecutionException e) {
      throw new Failure(cause(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new Failure(e);
    }
  }

  /** One Redis operation that failed, with what went wrong; never leaves this class. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    public Failure(Throwable cause) {
      super(null, cause, false, false);
    }
  }
}
