package dev.readthrough.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.runtime.CacheStats;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Eight threads call woven methods without pause for about 20 s while Redis is killed, frozen and
 * restarted on a schedule. No call fails, no value is wrong, and caching resumes after every
 * outage.
 */
class ChaosTest {

  private static final int THREADS = 8;
  private static final int KEYS = 64;
  private static final Duration RUN = Duration.ofSeconds(20);

  /** How long each outage lasts at least, so that calls pile into it. */
  private static final Duration OUTAGE = Duration.ofMillis(1500);

  /** Bound on recovery; Redisson's defaults alone would take longer to notice and reconnect. */
  private static final Duration RECOVERY = Duration.ofSeconds(20);

  public record Item(int id, String label, List<Integer> digits) {}

  static Item expectedItem(int id) {
    List<Integer> digits = new ArrayList<>();
    for (char c : Integer.toString(id * 7919).toCharArray()) {
      digits.add(c - '0');
    }
    return new Item(id, "item-" + id, digits);
  }

  static final class Shop {
    @ReadThrough(cache = "chaos-names", key = "id", ttlSeconds = 300)
    String name(int id) {
      return "name-" + id;
    }

    @ReadThrough(cache = "chaos-items", key = "id", ttlSeconds = 300)
    Item item(int id) {
      return expectedItem(id);
    }

    @ReadThrough(cache = "chaos-sums", ttlSeconds = 300)
    Long sum(int a, long b) {
      return a + b;
    }
  }

  private final Shop shop = new Shop();
  private final Tally tally = new Tally();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private RedisProcess redis;
  private ReadThroughEngine engine;

  @AfterEach
  void tearDown() {
    running.set(false);
    if (engine != null) {
      engine.close();
    }
    if (redis != null) {
      redis.stop();
    }
  }

  private void callOnce(ThreadLocalRandom random) {
    int id = random.nextInt(KEYS);
    switch (random.nextInt(3)) {
      case 0 -> tally.call(id, () -> shop.name(id), "name-" + id);
      case 1 -> tally.call(id, () -> shop.item(id), expectedItem(id));
      default -> {
        long b = random.nextInt(4);
        tally.call(id, () -> shop.sum(id, b), id + b);
      }
    }
  }

  private long total(java.util.function.ToLongFunction<CacheStats> counter) {
    return Tally.total(engine, counter);
  }

  /** Waits until Redis is back in use and calls are answered from it again. */
  private void awaitRecovery(String after) {
    long hits = total(CacheStats::hits);
    await("caching resumes after " + after)
        .atMost(RECOVERY)
        .until(() -> engine.isRedisAvailable() && total(CacheStats::hits) > hits + 100);
  }

  /** Keeps Redis out for at least {@link #OUTAGE}, until the engine has noticed. */
  private void holdOutage(String what) {
    await(what + " noticed")
        .pollDelay(OUTAGE)
        .atMost(RECOVERY)
        .until(() -> !engine.isRedisAvailable());
  }

  @Test
  void chaos_killFreezeRestartUnderLoad_noFailedCallsNoWrongValues_cachingResumesEachTime()
      throws Exception {
    redis = RedisProcess.start();
    engine = ReadThroughEngine.start(Engines.config(redis.uri()).build());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch stopped = new CountDownLatch(THREADS);
    for (int t = 0; t < THREADS; t++) {
      pool.execute(
          () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (running.get()) {
              callOnce(random);
            }
            stopped.countDown();
          });
    }

    Map<String, Integer> outages = new java.util.LinkedHashMap<>();
    long deadline = System.nanoTime() + RUN.toNanos();
    try {
      awaitRecovery("start");
      int round = 0;
      while (System.nanoTime() < deadline) {
        switch (round++ % 3) {
          case 0 -> {
            redis.stop();
            holdOutage("kill");
            redis.restart();
            awaitRecovery("kill and restart");
            outages.merge("killed, then restarted empty", 1, Integer::sum);
          }
          case 1 -> {
            redis.freeze();
            try {
              holdOutage("freeze");
            } finally {
              redis.thaw();
            }
            awaitRecovery("freeze and thaw");
            outages.merge("frozen (SIGSTOP), then thawed", 1, Integer::sum);
          }
          default -> {
            redis.restart();
            awaitRecovery("restart");
            outages.merge("restarted at once (kill + start, empty)", 1, Integer::sum);
          }
        }
      }
    } finally {
      running.set(false);
      assertThat(stopped.await(30, TimeUnit.SECONDS)).as("callers stopped").isTrue();
      pool.shutdown();
    }

    String report = report(outages);
    System.out.println(report);
    Files.writeString(Path.of("target", "chaos-counts.txt"), report);

    assertThat(tally.problems).as("failed calls and wrong values").isEmpty();
    assertThat(tally.failedCalls.sum()).isZero();
    assertThat(tally.wrongValues.sum()).isZero();
    assertThat(outages.values().stream().mapToInt(Integer::intValue).sum())
        .isGreaterThanOrEqualTo(3);
  }

  private String report(Map<String, Integer> outages) throws IOException {
    StringBuilder text =
        new StringBuilder("Chaos run: ")
            .append(THREADS)
            .append(" threads, ")
            .append(RUN.toSeconds())
            .append(" s\n");
    outages.forEach(
        (what, times) ->
            text.append("  outages ").append(what).append(": ").append(times).append('\n'));
    text.append(tally.counters(engine, "Redis known down: method ran without touching it"));
    return text.toString();
  }
}
