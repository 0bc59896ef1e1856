package dev.readthrough.runtime;

import dev.readthrough.runtime.internal.redis.RedisGuard;
import java.time.Duration;

/** The contract's bound on what a call may wait on Redis, for tests that check it. */
final class Bounds {

  private Bounds() {}

  /** The longest one call may wait on Redis with this operation timeout. */
  static Duration call(Duration operationTimeout) {
    return operationTimeout.plus(RedisGuard.MARGIN);
  }
}
