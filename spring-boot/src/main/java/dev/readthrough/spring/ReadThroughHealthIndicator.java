package dev.readthrough.spring;

import dev.readthrough.runtime.CacheStats;
import dev.readthrough.runtime.ReadThroughEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the engine's view of Redis, and is {@code UP} whether Redis answers or not.
 *
 * <p>An unreachable Redis is not a failure of the application: the engine bypasses it, and every
 * cached call still runs its method and returns its result. A {@code DOWN} here would take the
 * instance out of a load balancer (or restart it) for an outage that a restart cannot fix and that
 * costs only speed, on every instance at once. So the status stays {@code UP} and the details say
 * {@code redis: unreachable} and {@code breaker: open}, for dashboards and alerts to read; no
 * custom status is used, so that no status mapping or aggregation order needs configuring.
 */
final class ReadThroughHealthIndicator implements HealthIndicator {

  private final ReadThroughEngine engine;

  ReadThroughHealthIndicator(ReadThroughEngine engine) {
    this.engine = engine;
  }

  @Override
  public Health health() {
    boolean available = engine.isRedisAvailable();
    Map<String, Object> caches = new LinkedHashMap<>();
    engine.stats().forEach((name, stats) -> caches.put(name, counts(stats)));
    return Health.up()
        .withDetail("redis", available ? "reachable" : "unreachable")
        .withDetail("breaker", available ? "closed" : "open")
        .withDetail("keyPrefix", engine.config().keyPrefix())
        .withDetail("caches", caches)
        .build();
  }

  /** A cache's counters since the engine started, as the details show them. */
  private static Map<String, Long> counts(CacheStats stats) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("hits", stats.hits());
    counts.put("misses", stats.misses());
    counts.put("shared", stats.shared());
    counts.put("bypassed", stats.bypassed());
    counts.put("errors", stats.errors());
    counts.put("writes", stats.writes());
    counts.put("evictions", stats.evictions());
    return counts;
  }
}
