package dev.readthrough.runtime.internal.metrics;

import dev.readthrough.runtime.internal.call.CacheCounters;
import dev.readthrough.runtime.internal.call.Timings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one cache: Micrometer's own cache meters ({@code cache.gets}, {@code cache.puts},
 * {@code cache.evictions}, made by its {@link CacheMeterBinder} so that names, tags and
 * descriptions are those of every other cache binder), and the {@code readthrough.*} meters beside
 * them. Every count is read from the cache's {@link CacheCounters}, so that the meters and {@code
 * ReadThroughEngine.stats} never disagree and the hit path does no more than it does without
 * metrics; only the two timers are recorded on the path, as the cache's {@link Timings}.
 */
final class CacheMeters extends CacheMeterBinder<CacheCounters> implements Timings {

  private final CacheCounters counters;
  private @Nullable Timer loaded;
  private @Nullable Timer loadFailed;
  private @Nullable Timer redisReads;

  CacheMeters(CacheCounters counters, String cache) {
    super(counters, cache, List.of());
    this.counters = counters;
  }

  /** Every call not answered from the cache: it ran the method, shared a load, or bypassed it. */
  @Override
  protected Long missCount() {
    return counters.misses() + counters.shared() + counters.bypassed();
  }

  @Override
  protected long hitCount() {
    return counters.hits();
  }

  @Override
  protected long putCount() {
    return counters.writes();
  }

  @Override
  protected Long evictionCount() {
    return counters.evictions();
  }

  /** Redis does not tell a client how many entries a cache holds without scanning it. */
  @Override
  protected @Nullable Long size() {
    return null;
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    count(
        registry,
        "readthrough.local.hits",
        "hits answered from this JVM's near tier, with no Redis call (also in cache.gets hit)",
        CacheCounters::localHits);
    count(
        registry,
        "readthrough.stale.served",
        "calls whose method threw and that returned the key's stale entry instead",
        CacheCounters::staleServed);
    count(
        registry,
        "readthrough.refreshes",
        "background reloads ahead of expiry that stored a fresh entry",
        CacheCounters::refreshes,
        Tag.of("result", "success"));
    count(
        registry,
        "readthrough.refreshes",
        "background reloads ahead of expiry that failed; the old entry was kept",
        CacheCounters::refreshFailures,
        Tag.of("result", "failure"));
    count(
        registry,
        "readthrough.shared",
        "calls that returned the result of another call's load of the same key in this JVM",
        CacheCounters::shared);
    count(
        registry,
        "readthrough.bypassed",
        "calls that ran the method without an answer from Redis: down, failing, or a delete owed",
        CacheCounters::bypassed);
    count(
        registry,
        "readthrough.errors",
        "Redis operations that failed or timed out, and invalidations kept while Redis was down",
        c -> c.errors() - c.decodeFailures(),
        Tag.of("kind", "redis"));
    count(
        registry,
        "readthrough.errors",
        "entries that could not be decoded (corrupt, or written for another type): read as misses",
        CacheCounters::decodeFailures,
        Tag.of("kind", "decode"));
    count(
        registry,
        "readthrough.skipped",
        "results returned but not stored: their class cannot be encoded",
        CacheCounters::unencodable,
        Tag.of("reason", "unencodable"));
    count(
        registry,
        "readthrough.skipped",
        "results returned but not stored: larger than maxValueBytes",
        CacheCounters::skippedTooLarge,
        Tag.of("reason", "too-large"));
    loaded = loadTimer(registry, "success");
    loadFailed = loadTimer(registry, "failure");
    redisReads =
        Timer.builder("readthrough.redis.reads")
            .tags(getTagsWithCacheName())
            .description("GET and MGET calls to Redis for the cache's reads, to answer or failure")
            .register(registry);
    counters.timeWith(this);
  }

  private Timer loadTimer(MeterRegistry registry, String result) {
    return Timer.builder("readthrough.load")
        .tags(getTagsWithCacheName())
        .tag("result", result)
        .description("runs of the method for misses, until it returned or its future completed")
        .register(registry);
  }

  private void count(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<CacheCounters> count,
      Tag... tags) {
    FunctionCounter.builder(name, counters, count)
        .tags(getTagsWithCacheName())
        .tags(List.of(tags))
        .description(description)
        .register(registry);
  }

  @Override
  public void load(long nanos, boolean failed) {
    Timer timer = failed ? loadFailed : loaded;
    if (timer != null) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void redisRead(long nanos) {
    Timer timer = redisReads;
    if (timer != null) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
