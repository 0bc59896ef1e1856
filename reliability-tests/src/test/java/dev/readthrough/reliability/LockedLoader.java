package dev.readthrough.reliability;

import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;

/**
 * A cached method that both JVMs of {@link DistributedLockTest} call. It counts its runs in Redis,
 * and holds until some other client waits for the lock on its key, so that without a working lock
 * the other JVM would run it too.
 */
public final class LockedLoader {

  static final Duration LEASE = Duration.ofSeconds(30);
  static final Duration WAIT = Duration.ofSeconds(20);

  private final RedissonClient redis;

  public LockedLoader(RedissonClient redis) {
    this.redis = redis;
  }

  static String invocationsKey(String id) {
    return "test:invocations:" + id;
  }

  static String contendedKey(String id) {
    return "test:contended:" + id;
  }

  @ReadThrough(cache = "locked", key = "id", ttlSeconds = 300)
  public String load(String id) {
    redis.getAtomicLong(invocationsKey(id)).incrementAndGet();
    // Redisson lock waiters subscribe to this channel while they wait
    RTopic waiters = redis.getTopic("redisson_lock__channel:{rt-lock:locked:" + id + "}");
    try {
      await().atMost(WAIT.minusSeconds(5)).until(() -> waiters.countSubscribers() > 0);
      redis.getAtomicLong(contendedKey(id)).incrementAndGet();
    } catch (ConditionTimeoutException e) {
      // nobody waited for the lock; the test's check of contendedKey reports it
    }
    return "loaded-" + id;
  }
}
