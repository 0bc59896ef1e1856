package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.testing.TestRedis;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * The meters, named and tagged as Micrometer's own cache binders name theirs, count what known
 * sequences of calls did, and agree with {@link ReadThroughEngine#stats(String)}.
 */
class MetricsTest {

  /** Not a {@code @FunctionalInterface}: the rules let it pass, and a lambda can still fill it. */
  interface Pricing {
    long cents();
  }

  record Priced(long id, Pricing pricing) {}

  static final class Service {
    final AtomicInteger calls = new AtomicInteger();

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "m-users")
    public String find(long id) {
      calls.incrementAndGet();
      return "user-" + id;
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "m-failing")
    public String failing(long id) {
      calls.incrementAndGet();
      throw new IllegalStateException("upstream down for " + id);
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "m-code")
    public Priced code(long id) {
      calls.incrementAndGet();
      return new Priced(id, () -> id); // a lambda inside: the rules let Priced pass, Kryo cannot
    }

    @Invalidate(key = "id", cache = "m-users")
    public void forget(long id) {}
  }

  SimpleMeterRegistry registry;
  RedisFixture redis;
  final Service service = new Service();

  @BeforeEach
  void startEngine() {
    registry = new SimpleMeterRegistry();
    redis =
        RedisFixture.start(
            ReadThroughConfig.builder()
                .redisUri(TestRedis.uri())
                .operationTimeout(Duration.ofSeconds(2))
                .meterRegistry(registry));
    redis.clear();
  }

  @AfterEach
  void stopEngine() {
    redis.clear();
    redis.close();
  }

  @Test
  void aMissThenTwoHits_countOneMissTwoHitsOnePut_andTimeTheLoadAndEachRead() {
    service.find(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.exists("rt:m-users:1"));
    service.find(1);
    service.find(1);

    assertThat(count("cache.gets", "m-users", "result", "hit")).isEqualTo(2);
    assertThat(count("cache.gets", "m-users", "result", "miss")).isEqualTo(1);
    assertThat(count("cache.puts", "m-users")).isEqualTo(1);
    assertThat(timer("readthrough.load", "m-users", "result", "success").count()).isEqualTo(1);
    assertThat(timer("readthrough.load", "m-users", "result", "failure").count()).isZero();
    assertThat(timer("readthrough.redis.reads", "m-users").count()).isEqualTo(3);
    assertThat(
            timer("readthrough.redis.reads", "m-users")
                .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
        .isPositive();
    CacheStats stats = redis.engine.stats("m-users");
    assertThat(stats.hits()).isEqualTo(2);
    assertThat(stats.misses()).isEqualTo(1);
  }

  @Test
  void cacheGets_carryMicrometersOwnDescriptions_soThatTheyMergeWithOtherCacheBinders() {
    service.find(2);
    Meter hit =
        registry.get("cache.gets").tag("cache", "m-users").tag("result", "hit").functionCounter();
    assertThat(hit.getId().getDescription())
        .isEqualTo(
            "The number of times cache lookup methods have returned a cached (hit) or uncached (newly loaded or null) value (miss).");
    assertThat(hit.getId().getTags())
        .extracting(io.micrometer.core.instrument.Tag::getKey)
        .containsExactlyInAnyOrder("cache", "result");
  }

  @Test
  void aMethodThatThrows_isTimedAsAFailedLoad() {
    assertThatThrownBy(() -> service.failing(3)).isInstanceOf(IllegalStateException.class);

    assertThat(timer("readthrough.load", "m-failing", "result", "failure").count()).isEqualTo(1);
    assertThat(timer("readthrough.load", "m-failing", "result", "success").count()).isZero();
  }

  @Test
  void invalidations_countTheEntriesTheyRemoved_asEvictions() {
    for (long id = 10; id < 13; id++) {
      service.find(id);
    }
    for (long id = 10; id < 13; id++) {
      awaitStored("rt:m-users:" + id);
    }
    double before = count("cache.evictions", "m-users");
    assertThat(before).isZero();

    service.forget(10);
    assertThat(count("cache.evictions", "m-users")).isEqualTo(before + 1);
    service.forget(10); // nothing left to remove
    assertThat(count("cache.evictions", "m-users")).isEqualTo(before + 1);
    assertThat(redis.engine.invalidateAll("m-users")).isEqualTo(2);
    assertThat(count("cache.evictions", "m-users")).isEqualTo(before + 3);
    assertThat(redis.engine.stats("m-users").evictions()).isEqualTo((long) before + 3);
  }

  @Test
  void aCorruptEntry_countsADecodeError_andAMiss() {
    redis
        .redis
        .getBucket("rt:m-users:20", ByteArrayCodec.INSTANCE)
        .set("not an entry".getBytes(StandardCharsets.UTF_8));
    assertThat(service.find(20)).isEqualTo("user-20");

    assertThat(count("readthrough.errors", "m-users", "kind", "decode")).isEqualTo(1);
    assertThat(count("readthrough.errors", "m-users", "kind", "redis")).isZero();
    assertThat(count("cache.gets", "m-users", "result", "miss")).isEqualTo(1);
  }

  @Test
  void aValueThatCannotBeEncoded_isCountedAsSkipped_notAsAnError() {
    service.code(30);
    service.code(30);

    assertThat(count("readthrough.skipped", "m-code", "reason", "unencodable")).isEqualTo(2);
    assertThat(count("readthrough.errors", "m-code", "kind", "redis")).isZero();
    assertThat(count("readthrough.errors", "m-code", "kind", "decode")).isZero();
    assertThat(redis.engine.stats("m-code").unencodable()).isEqualTo(2);
    assertThat(redis.engine.stats("m-code").errors()).isZero();
  }

  @Test
  void theBreakersState_isAGaugePerState() {
    assertThat(registry.get("readthrough.breaker.state").tag("state", "closed").gauge().value())
        .isEqualTo(1);
    assertThat(registry.get("readthrough.breaker.state").tag("state", "open").gauge().value())
        .isZero();
  }

  @Test
  void closingTheEngine_removesItsMeters_andTheNextEngineRegistersItsOwn() {
    SimpleMeterRegistry own = new SimpleMeterRegistry();
    redis.engine.close(); // the fixture's own client stays open, to look at Redis
    try {
      ReadThroughEngine first =
          ReadThroughEngine.start(
              ReadThroughConfig.builder().redisUri(TestRedis.uri()).meterRegistry(own).build());
      service.find(40);
      assertThat(gets(own, "miss")).isEqualTo(1);
      awaitStored("rt:m-users:40");
      first.close();
      assertThat(own.getMeters()).isEmpty();

      try (ReadThroughEngine second =
          ReadThroughEngine.start(
              ReadThroughConfig.builder().redisUri(TestRedis.uri()).meterRegistry(own).build())) {
        service.find(40);
        service.find(40);
        assertThat(gets(own, "hit")).isEqualTo(2);
        assertThat(gets(own, "miss")).isZero();
        assertThat(second.stats("m-users").hits()).isEqualTo(2);
      }
    } finally {
      redis.clear();
    }
  }

  private static double gets(SimpleMeterRegistry in, String result) {
    return in.get("cache.gets")
        .tag("cache", "m-users")
        .tag("result", result)
        .functionCounter()
        .count();
  }

  private void awaitStored(String key) {
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.exists(key));
  }

  private double count(String name, String cache, String... tags) {
    FunctionCounter counter = registry.get(name).tag("cache", cache).tags(tags).functionCounter();
    return counter.count();
  }

  private Timer timer(String name, String cache, String... tags) {
    return registry.get(name).tag("cache", cache).tags(tags).timer();
  }
}
