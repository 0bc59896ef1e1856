package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.internal.codec.ValueCodec;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresh-ahead step of a read: a hit on an entry older than its method's {@code
 * refreshAfterSeconds} returns the entry at once and hands its key to a background reload, which
 * runs the method and replaces the entry with a fresh one, so that a key read often never expires
 * under its readers.
 *
 * <h2>One reload per key</h2>
 *
 * <ol>
 *   <li>In this JVM: a key is handed over only if it is not in {@code running} already; it is added
 *       before the reload is queued and removed when the reload ends, however it ends.
 *   <li>Across JVMs: the reload first takes a short lock in Redis, {@code SET
 *       <prefix>-refresh:<rest of the key> <token> NX PX <ms>}, for at most the time between the
 *       entry's refresh age and its TTL (and {@value #MAX_LOCK_MILLIS} ms). A JVM that does not get
 *       it reloads nothing.
 *   <li>Under the lock it reads the key again, and reloads only if the key still holds the entry
 *       the hit read: a JVM whose hit came just after another's reload finds the new entry and runs
 *       nothing.
 *   <li>The loaded entry replaces the old one only if the key still holds the old one (one script,
 *       compare-and-set): a write or an invalidation that came after the read always wins, and a
 *       reload never brings back what they removed.
 *   <li>The lock is then released, if it is still this reload's (compare-and-delete); otherwise it
 *       ends with its TTL.
 * </ol>
 *
 * <h2>Bounds and failures</h2>
 *
 * Reloads run on {@value #THREADS} daemon threads, with {@value #QUEUE} waiting at most; a hit that
 * finds the queue full hands nothing over (counted as a failed refresh, logged): the entry is
 * served until its TTL, and a later hit offers it again. Every Redis command is bounded by the
 * operation timeout, through the guard; an async method's future is awaited at most the entry's
 * TTL. A failure of the method or of Redis leaves the old entry until its TTL, is logged
 * (rate-limited per method) and counted, and never reaches a caller. The method runs on a reload
 * thread with the arguments of the hit that handed its key over: nothing of the caller's thread
 * (its thread-locals) comes with it.
 */
public final class RefreshAhead {

  static final int THREADS = 2;
  static final int QUEUE = 1_000;
  static final long MAX_LOCK_MILLIS = 30_000;

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  private final RequestPath path;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final ThreadPoolExecutor executor;
  private final RateLimitedLog log = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(10));

  /** Test hook: runs on the reload's thread once it holds a key's lock, before it reads the key. */
  public volatile @Nullable Runnable beforeRead;

  /** Test hook: runs on the reload's thread once it holds its locks, before the method runs. */
  public volatile @Nullable Runnable beforeReload;

  /** Test hook: runs on the reload's thread when a reload ended, however it ended. */
  public volatile @Nullable Runnable afterReload;

  /** Runs the method for {@code keys} and gives the value it returned for each. */
  @FunctionalInterface
  public interface Reload {
    Map<String, @Nullable Object> load(List<String> keys) throws Throwable;
  }

  RefreshAhead(RequestPath path) {
    this.path = path;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread thread = new Thread(r, "readthrough-refresh-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.executor.allowCoreThreadTimeOut(true);
  }

  /**
   * Whether a hit on {@code entry} is due a reload: its method refreshes ahead, and the entry is at
   * least that old. An entry without a stamp has no age and is never due. Allocates nothing.
   */
  public static boolean due(ReadSpec spec, byte[] entry) {
    if (spec.refreshAfterMillis() == 0) {
      return false;
    }
    long writtenAt = spec.entries().writtenAt(entry);
    return writtenAt != ValueCodec.NO_TIME
        && System.currentTimeMillis() - writtenAt >= spec.refreshAfterMillis();
  }

  /** A reload's answer for one key. */
  public static Map<String, @Nullable Object> one(String key, @Nullable Object value) {
    Map<String, @Nullable Object> values = new HashMap<>(2);
    values.put(key, value);
    return values;
  }

  /** What an async method's future completed with, awaited at most the entry's TTL. */
  public static @Nullable Object await(ReadSpec spec, @Nullable Object stage) throws Throwable {
    if (!(stage instanceof CompletionStage<?> future)) {
      throw new NullPointerException(spec.description() + " returned null instead of a future");
    }
    try {
      return future.toCompletableFuture().get(spec.ttlMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw Futures.cause(e);
    }
  }

  /** Whether a reload of {@code key} is queued or running in this JVM. */
  public boolean isReloading(String key) {
    return running.contains(key);
  }

  /** Hands one key, whose hit read {@code seen}, to a background reload, unless one is running. */
  public void offer(ReadSpec spec, String key, byte[] seen, Reload reload) {
    offer(spec, List.of(key), List.of(seen), reload);
  }

  /**
   * Hands keys, whose hits read {@code seen}, to one background reload: those that no reload of
   * this JVM is running for already.
   */
  public void offer(ReadSpec spec, List<String> keys, List<byte[]> seen, Reload reload) {
    List<String> mine = new ArrayList<>(keys.size());
    List<byte[]> mineSeen = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      if (running.add(keys.get(i))) {
        mine.add(keys.get(i));
        mineSeen.add(seen.get(i));
      }
    }
    if (mine.isEmpty()) {
      return;
    }
    try {
      executor.execute(() -> reload(spec, mine, mineSeen, reload));
    } catch (RejectedExecutionException e) {
      mine.forEach(running::remove);
      spec.counters().recordRefresh(true);
      log.warn(
          "refresh-queue:" + spec.description(),
          "The refresh queue is full ("
              + QUEUE
              + " waiting); "
              + spec.description()
              + " is not reloaded ahead for "
              + mine.size()
              + " key(s), which are served until their TTL");
    }
  }

  /** On a reload thread: the protocol above, for {@code keys}. */
  private void reload(ReadSpec spec, List<String> keys, List<byte[]> seen, Reload reload) {
    byte[] token = new byte[16];
    ThreadLocalRandom.current().nextBytes(token);
    List<String> locked = new ArrayList<>(keys.size());
    try {
      long lockMillis = Math.min(MAX_LOCK_MILLIS, spec.ttlMillis() - spec.refreshAfterMillis());
      List<String> toLoad = new ArrayList<>(keys.size());
      List<byte[]> toLoadSeen = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        String key = keys.get(i);
        if (!path.guard.mayUse(key)
            || !path.guard.refreshLock(
                spec.counters(), key, token, lockMillis, spec.description())) {
          continue; // Redis is down, or another JVM reloads the key
        }
        locked.add(key);
        Runnable read = beforeRead;
        if (read != null) {
          read.run();
        }
        byte[] now = path.guard.read(spec.counters(), key, spec.description());
        if (Arrays.equals(now, seen.get(i))) {
          toLoad.add(key);
          toLoadSeen.add(seen.get(i));
        } // else changed since the hit: reloaded, written or invalidated meanwhile
      }
      if (toLoad.isEmpty()) {
        return;
      }
      Runnable hook = beforeReload;
      if (hook != null) {
        hook.run();
      }
      Map<String, @Nullable Object> values;
      try {
        values = reload.load(toLoad);
      } catch (Throwable t) {
        failed(spec, toLoad, t);
        return;
      }
      long ttl = path.ttlMillis(spec.ttlMillis());
      for (int i = 0; i < toLoad.size(); i++) {
        String key = toLoad.get(i);
        byte[] entry = spec.entries().encode(spec.counters(), values.get(key), ttl);
        if (entry != null // not cached (a null, too large): the old entry stays until its TTL
            && path.guard.mayUse(key)
            && path.guard.replace(
                spec.counters(),
                key,
                toLoadSeen.get(i),
                entry,
                spec.keepMillis(ttl),
                spec.description())) {
          spec.counters().recordRefresh(false);
        }
      }
    } catch (RuntimeException e) { // a fault of the engine's: never on a caller's thread either
      failed(spec, keys, e);
    } finally {
      for (String key : locked) {
        path.guard.refreshUnlock(spec.counters(), key, token, spec.description());
      }
      keys.forEach(running::remove);
      Runnable hook = afterReload;
      if (hook != null) {
        hook.run();
      }
    }
  }

  private void failed(ReadSpec spec, List<String> keys, Throwable error) {
    spec.counters().recordRefresh(true);
    log.warn(
        "refresh:" + spec.description(),
        "A reload ahead of expiry of "
            + spec.description()
            + " for "
            + (keys.size() == 1 ? keys.get(0) : keys.size() + " keys")
            + " failed; the entry is served until its TTL: "
            + error);
  }

  /** Stops taking reloads; those running finish on their threads. */
  void close() {
    executor.shutdown();
  }
}
