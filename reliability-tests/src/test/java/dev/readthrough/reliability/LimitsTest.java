package dev.readthrough.reliability;

import static dev.readthrough.reliability.Engines.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.RedisProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TTL jitter only ever shortens the annotation's TTL; results above maxValueBytes are not cached.
 */
class LimitsTest {

  private static final long TTL_MILLIS = 600_000;

  static final class Reports {
    final AtomicInteger runs = new AtomicInteger();

    @ReadThrough(cache = "reports", key = "id", ttlSeconds = 600)
    String summary(int id) {
      runs.incrementAndGet();
      return "summary-" + id;
    }

    @ReadThrough(cache = "reports-full", key = "id", ttlSeconds = 600)
    String full(int id) {
      runs.incrementAndGet();
      return ("full-" + id + "|").repeat(500);
    }

    @ReadThrough(cache = "reports-archive", key = "id", ttlSeconds = 600)
    String archive(int id) {
      runs.incrementAndGet();
      return ("archive-" + id + "|").repeat(500);
    }
  }

  private final Reports reports = new Reports();
  private RedisProcess redis;
  private RawRedis raw;
  private ReadThroughEngine engine;
  private LogCapture log;

  @BeforeEach
  void startRedis() {
    redis = RedisProcess.start();
    raw = RawRedis.connect(redis);
    log = LogCapture.engine();
  }

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
    log.close();
    raw.close();
    redis.stop();
  }

  @Test
  void ttlJitter_neverLengthensTheAnnotationTtl_andSpreadsExpiries() throws Exception {
    engine = Engines.startConnected(Engines.steady(redis.uri()).ttlJitter(0.5).build());
    List<String> keys = new ArrayList<>();
    for (int id = 0; id < 40; id++) {
      assertThat(reports.summary(id)).isEqualTo("summary-" + id);
      keys.add(engine.keyFor(Reports.class.getDeclaredMethod("summary", int.class), id));
    }
    await().atMost(PATIENCE).until(() -> keys.stream().allMatch(raw::exists));

    List<Long> ttls = keys.stream().map(raw::pttl).toList();
    assertThat(ttls)
        .allSatisfy(ttl -> assertThat(ttl).isPositive().isLessThanOrEqualTo(TTL_MILLIS));
    // with up to 50 % cut off, 40 entries all within 10 % of the full TTL would be a 1e-28 chance
    assertThat(ttls).anyMatch(ttl -> ttl < TTL_MILLIS * 9 / 10);
    assertThat(ttls.stream().distinct().count()).isGreaterThan(1);
  }

  @Test
  void withoutJitter_theTtlIsTheAnnotations() throws Exception {
    engine = Engines.startConnected(Engines.steady(redis.uri()).build());
    assertThat(reports.summary(1)).isEqualTo("summary-1");
    String key = engine.keyFor(Reports.class.getDeclaredMethod("summary", int.class), 1);
    await().atMost(PATIENCE).until(() -> raw.exists(key));

    assertThat(raw.pttl(key)).isPositive().isLessThanOrEqualTo(TTL_MILLIS);
  }

  @Test
  void resultLargerThanMaxValueBytes_isReturnedNotCached_oneWarningPerMethod() throws Exception {
    engine = Engines.startConnected(Engines.steady(redis.uri()).maxValueBytes(1024).build());

    for (int i = 0; i < 3; i++) {
      assertThat(reports.full(1)).isEqualTo(("full-1|").repeat(500));
      assertThat(reports.archive(1)).isEqualTo(("archive-1|").repeat(500));
    }

    assertThat(reports.runs.get()).as("every call ran the method").isEqualTo(6);
    assertThat(engine.stats("reports-full").skippedTooLarge()).isEqualTo(3);
    assertThat(engine.stats("reports-archive").skippedTooLarge()).isEqualTo(3);
    assertThat(engine.stats("reports-full").writes()).isZero();
    assertThat(raw.exists(engine.keyFor(Reports.class.getDeclaredMethod("full", int.class), 1)))
        .isFalse();
    assertThat(log.warnings())
        .filteredOn(w -> w.contains("maxValueBytes"))
        .hasSize(2)
        .anyMatch(w -> w.contains("Reports.full(int)"))
        .anyMatch(w -> w.contains("Reports.archive(int)"));

    // a small result of the same engine is still cached
    assertThat(reports.summary(1)).isEqualTo("summary-1");
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              reports.summary(1);
              return engine.stats("reports").hits() > 0;
            });
  }
}
