package dev.readthrough.runtime;

import dev.readthrough.runtime.internal.call.CacheCounters;
import dev.readthrough.runtime.internal.call.Plan;
import dev.readthrough.runtime.internal.call.Plans;
import dev.readthrough.runtime.internal.call.RequestPath;
import dev.readthrough.runtime.internal.flight.SingleFlight;
import dev.readthrough.runtime.internal.redis.RedisGuard;
import dev.readthrough.runtime.internal.redis.RedisStore;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import java.lang.reflect.Method;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/** Parses plans outside any engine, for tests of keys and declarations; nothing connects. */
final class DetachedPlans {

  private static final ReadThroughConfig CONFIG = ReadThroughConfig.builder().build();
  private static final RateLimitedLog LOG =
      new RateLimitedLog(
          LoggerFactory.getLogger(DetachedPlans.class), TimeUnit.SECONDS.toNanos(10));
  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor();
  private static final RequestPath PATH =
      new RequestPath(
          CONFIG,
          new RedisGuard(new RedisStore(CONFIG), CONFIG, SCHEDULER, LOG),
          new SingleFlight(SCHEDULER));

  private DetachedPlans() {}

  /** The plan of {@code method}, as the engine would parse it. */
  static Plan parse(Method method, String @Nullable [] parameterNames) {
    return Plans.parse(method, parameterNames, CONFIG, cache -> new CacheCounters(), PATH, LOG);
  }
}
