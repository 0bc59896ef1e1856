package dev.readthrough.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.runtime.CacheStats;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.LocalCluster;
import dev.readthrough.testing.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Eight threads call woven methods without pause on a local Redis Cluster (3 masters, 3 replicas)
 * while, shard by shard, the test freezes the master serving it and thaws it, then kills it, waits
 * for its replica's promotion and restarts it (it rejoins as a replica). No call fails, no value is
 * wrong, caching resumes after every outage, and the keys of the shards left alone never run their
 * method: one shard's outage costs the others nothing.
 */
class ClusterChaosTest {

  private static final int THREADS = 8;
  private static final int KEYS = 90;

  /** How long a freeze lasts at least; below the cluster's node timeout, so nothing fails over. */
  private static final Duration FREEZE = Duration.ofMillis(1200);

  private static final Duration RECOVERY = Duration.ofSeconds(20);

  static final class Shop {
    final Map<String, LongAdder> runs = new ConcurrentHashMap<>();

    @ReadThrough(cache = "cchaos-names", key = "id", ttlSeconds = 300)
    String name(int id) {
      runs.computeIfAbsent("rt:cchaos-names:" + id, k -> new LongAdder()).increment();
      return "name-" + id;
    }

    @ReadThrough(cache = "cchaos-items", key = "id", ttlSeconds = 300)
    ChaosTest.Item item(int id) {
      runs.computeIfAbsent("rt:cchaos-items:" + id, k -> new LongAdder()).increment();
      return ChaosTest.expectedItem(id);
    }
  }

  private final Shop shop = new Shop();
  private final Tally tally = new Tally();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private @Nullable ReadThroughEngine engine;

  private void callOnce(ThreadLocalRandom random) {
    int id = random.nextInt(KEYS);
    if (random.nextBoolean()) {
      tally.call(id, () -> shop.name(id), "name-" + id);
    } else {
      tally.call(id, () -> shop.item(id), ChaosTest.expectedItem(id));
    }
  }

  private ReadThroughEngine engine() {
    ReadThroughEngine started = engine;
    if (started == null) {
      throw new IllegalStateException("no engine");
    }
    return started;
  }

  private long total(ToLongFunction<CacheStats> counter) {
    return Tally.total(engine(), counter);
  }

  @Test
  void chaos_freezeThenKillEachMasterUnderLoad_noFailedCallsNoWrongValues_othersUntouched()
      throws Exception {
    List<String> lines = new ArrayList<>();
    List<Thread> callers = new ArrayList<>();
    try (LocalCluster cluster = LocalCluster.start()) {
      engine =
          Engines.startConnected(
              ReadThroughConfig.builder()
                  .redisCluster(cluster.uris().toArray(String[]::new))
                  .operationTimeout(Duration.ofMillis(200))
                  .failureThreshold(3)
                  .probeInterval(Duration.ofMillis(100))
                  .build());
      // which shard (0, 1, 2: the masters' slot ranges as formed) each key is on
      Map<String, Integer> shardOf = new ConcurrentHashMap<>();
      for (int id = 0; id < KEYS; id++) {
        for (String cache : List.of("cchaos-names", "cchaos-items")) {
          String key = "rt:" + cache + ":" + id;
          String slot = cluster.node(0).command("CLUSTER", "KEYSLOT", key).substring(1);
          shardOf.put(key, Integer.parseInt(slot) * 3 / LocalCluster.SLOTS);
        }
      }
      for (int t = 0; t < THREADS; t++) {
        Thread caller =
            new Thread(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  while (running.get()) {
                    callOnce(random);
                  }
                },
                "cluster-chaos-" + t);
        caller.start();
        callers.add(caller);
      }
      awaitRecovery("start");
      await("every key cached")
          .atMost(RECOVERY)
          .until(() -> shop.runs.keySet().containsAll(shardOf.keySet()));
      awaitRecovery("warm-up");

      for (int shard = 0; shard < 3; shard++) {
        String key = keyOf(shardOf, shard);
        RedisProcess master = servingMaster(cluster, key);

        long[] before = runsOutside(shardOf, shard);
        long start = System.nanoTime();
        master.freeze();
        try {
          await("freeze noticed")
              .pollDelay(FREEZE)
              .atMost(RECOVERY)
              .until(() -> !engine().isRedisAvailable());
        } finally {
          master.thaw();
        }
        awaitRecovery("freeze and thaw");
        lines.add(
            outage(
                "froze",
                shard,
                master,
                start,
                System.nanoTime(),
                before,
                runsOutside(shardOf, shard),
                null));

        before = runsOutside(shardOf, shard);
        start = System.nanoTime();
        master.stop();
        await("a replica promoted for shard " + shard)
            .atMost(RECOVERY)
            .until(() -> servingMaster(cluster, key) != null);
        long promoted = System.nanoTime();
        awaitRecovery("kill and promotion");
        long resumed = System.nanoTime();
        assertThat(Duration.ofNanos(resumed - promoted))
            .as("from the promotion until caching resumed")
            .isLessThanOrEqualTo(Duration.ofSeconds(15));
        RedisProcess replacement = servingMaster(cluster, key);
        lines.add(
            outage(
                "killed",
                shard,
                master,
                start,
                resumed,
                before,
                runsOutside(shardOf, shard),
                "replica :"
                    + (replacement == null ? "?" : replacement.port())
                    + " promoted after "
                    + (promoted - start) / 1_000_000
                    + " ms; caching resumed "
                    + (resumed - promoted) / 1_000_000
                    + " ms after the promotion"));
        master.restart(); // rejoins as a replica of the promoted node
      }
    } finally {
      running.set(false);
      for (Thread caller : callers) {
        caller.join(30_000);
      }
    }

    String report = report(lines);
    System.out.println(report);
    Files.writeString(Path.of("target", "cluster-chaos-counts.txt"), report);
    if (engine != null) {
      engine.close();
    }

    assertThat(tally.problems).as("failed calls and wrong values").isEmpty();
    assertThat(tally.failedCalls.sum()).isZero();
    assertThat(tally.wrongValues.sum()).isZero();
    assertThat(String.join("\n", lines))
        .as("the method never ran for a key of a shard left alone")
        .doesNotContain("others' keys ran their method: ")
        .contains("others' keys untouched");
  }

  /** Waits until no breaker is open and calls are answered from Redis again. */
  private void awaitRecovery(String after) {
    long hits = total(CacheStats::hits);
    await("caching resumes after " + after)
        .atMost(RECOVERY)
        .until(() -> engine().isRedisAvailable() && total(CacheStats::hits) > hits + 200);
  }

  private static String keyOf(Map<String, Integer> shardOf, int shard) {
    return shardOf.entrySet().stream()
        .filter(entry -> entry.getValue() == shard)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  /** The running node that serves {@code key}'s slot as its master, or {@code null} if none. */
  private static @Nullable RedisProcess servingMaster(LocalCluster cluster, String key) {
    for (RedisProcess node : cluster.nodes()) {
      if (!node.isAlive()) {
        continue;
      }
      try {
        String reply = node.command("EXISTS", key);
        if (reply.startsWith(":")
            && node.bulkCommand("INFO", "replication").contains("role:master")) {
          return node;
        }
      } catch (RuntimeException e) {
        // frozen or going down: not serving
      }
    }
    return null;
  }

  /** Per shard, how many method runs its keys have had; the {@code skip} shard counts 0. */
  private long[] runsOutside(Map<String, Integer> shardOf, int skip) {
    long[] runs = new long[3];
    shop.runs.forEach(
        (key, count) -> {
          int shard = shardOf.getOrDefault(key, skip);
          if (shard != skip) {
            runs[shard] += count.sum();
          }
        });
    return runs;
  }

  private String outage(
      String what,
      int shard,
      RedisProcess master,
      long startNanos,
      long resumedNanos,
      long[] before,
      long[] after,
      @Nullable String promotion) {
    long others = 0;
    for (int i = 0; i < 3; i++) {
      others += after[i] - before[i];
    }
    return String.format(
        "  %s the master of shard %d (:%d): caching resumed %d ms later%s; %s",
        what,
        shard,
        master.port(),
        (resumedNanos - startNanos) / 1_000_000,
        promotion == null ? "" : " (" + promotion + ")",
        others == 0 ? "others' keys untouched" : "others' keys ran their method: " + others);
  }

  private String report(List<String> outages) throws IOException {
    StringBuilder text =
        new StringBuilder("Cluster chaos run: ")
            .append(THREADS)
            .append(" threads, 3 masters + 3 replicas, ")
            .append(KEYS * 2)
            .append(" keys\n");
    outages.forEach(line -> text.append(line).append('\n'));
    text.append(
        tally.counters(engine(), "the key's shard known down: the method ran without touching it"));
    return text.toString();
  }
}
