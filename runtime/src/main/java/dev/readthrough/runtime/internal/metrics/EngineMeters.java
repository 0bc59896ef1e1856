package dev.readthrough.runtime.internal.metrics;

import dev.readthrough.runtime.internal.call.CacheCounters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Owns an engine's meters in the application's registry: the breaker's state from the start, each
 * cache's {@link CacheMeters} from the cache's first use, and their removal when the engine closes,
 * so that an engine started after it registers its own meters rather than finding these.
 */
public final class EngineMeters {

  private final MeterRegistry registry;

  private final List<Meter.Id> registered = new CopyOnWriteArrayList<>();

  /**
   * Registers the engine's own meters.
   *
   * @param registry a {@code io.micrometer.core.instrument.MeterRegistry}
   * @param breakerOpen whether the engine's breaker is open (calls bypass Redis)
   */
  public EngineMeters(Object registry, BooleanSupplier breakerOpen) {
    this.registry = (MeterRegistry) registry;
    registered.add(
        Gauge.builder("readthrough.breaker.state", breakerOpen, open -> open.getAsBoolean() ? 0 : 1)
            .tag("state", "closed")
            .strongReference(true) // the engine removes it on close
            .description("1 while cached calls use Redis, 0 while the breaker is open")
            .register(this.registry)
            .getId());
    registered.add(
        Gauge.builder("readthrough.breaker.state", breakerOpen, open -> open.getAsBoolean() ? 1 : 0)
            .tag("state", "open")
            .strongReference(true)
            .description("1 while cached calls bypass Redis until a probe finds it back, else 0")
            .register(this.registry)
            .getId());
  }

  /** Registers the meters of {@code cache}, read from its counters; called once per cache. */
  public void bind(String cache, CacheCounters counters) {
    Set<Meter.Id> before = ids();
    new CacheMeters(counters, cache).bindTo(registry);
    for (Meter meter : registry.getMeters()) {
      if (!before.contains(meter.getId())) {
        registered.add(meter.getId());
      }
    }
  }

  /** Removes every meter this engine registered. */
  public void close() {
    registered.forEach(registry::remove);
    registered.clear();
  }

  private Set<Meter.Id> ids() {
    Set<Meter.Id> ids = new HashSet<>();
    registry.getMeters().forEach(meter -> ids.add(meter.getId()));
    return ids;
  }
}
