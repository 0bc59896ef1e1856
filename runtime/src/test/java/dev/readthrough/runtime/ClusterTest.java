package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.testing.LocalCluster;
import dev.readthrough.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract against a real local Redis Cluster (3 masters, 3 replicas): entries spread over
 * every master under the exact contract keys, {@code invalidateAll} leaves nothing on any master,
 * and a write followed at once by a read returns the new value.
 */
class ClusterTest {

  record Score(long id, int value) {}

  static final class Scores {
    final AtomicInteger runs = new AtomicInteger();
    volatile int upstream = 1;

    @ReadThrough(key = "id", ttlSeconds = 300, cache = "scores")
    Score find(long id) {
      runs.incrementAndGet();
      return new Score(id, upstream);
    }

    @WriteThrough(key = "score.id", ttlSeconds = 300, cache = "scores")
    Score save(Score score) {
      return score;
    }
  }

  private static LocalCluster cluster;
  private ReadThroughEngine engine;
  private final Scores scores = new Scores();

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void startEngine() {
    engine =
        ReadThroughEngine.start(
            ReadThroughConfig.builder()
                .redisCluster(cluster.uris().toArray(String[]::new))
                .operationTimeout(Duration.ofSeconds(1))
                .build());
    await().atMost(Duration.ofSeconds(10)).until(engine::isRedisAvailable);
    engine.invalidateAll("scores");
  }

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  @Test
  void entries_spreadOverEveryMaster_underTheContractKeys() {
    for (long id = 1; id <= 300; id++) {
      scores.find(id);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> total(cluster.keysPerMaster()) == 300);

    Map<Integer, Long> perMaster = cluster.keysPerMaster();
    assertThat(perMaster).hasSize(3);
    assertThat(perMaster.values()).allSatisfy(keys -> assertThat(keys).isGreaterThan(50));
    List<String> found = new ArrayList<>();
    for (RedisProcess node : cluster.nodes().subList(0, 3)) {
      for (long id : List.of(1L, 2L, 3L, 150L, 300L)) {
        if (node.command("EXISTS", "rt:scores:" + id).equals(":1")) {
          found.add("rt:scores:" + id);
        }
      }
    }
    assertThat(found)
        .as("each key, no hash tag, on exactly one master")
        .containsExactlyInAnyOrder(
            "rt:scores:1", "rt:scores:2", "rt:scores:3", "rt:scores:150", "rt:scores:300");

    int runs = scores.runs.get();
    for (long id = 1; id <= 300; id++) {
      scores.find(id);
    }
    assertThat(scores.runs).as("every second call a hit").hasValue(runs);
  }

  @Test
  void invalidateAll_leavesNothingOnAnyMaster() {
    for (long id = 1; id <= 200; id++) {
      scores.find(id);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> total(cluster.keysPerMaster()) == 200);

    assertThat(engine.invalidateAll("scores")).isEqualTo(200);

    assertThat(cluster.keysPerMaster().values()).containsOnly(0L);
  }

  @Test
  void aWriteFollowedAtOnceByARead_returnsTheNewValue_200TimesInARow() {
    for (int i = 0; i < 200; i++) {
      long id = 1000 + i % 7;
      scores.find(id);
      scores.save(new Score(id, i));
      assertThat(scores.find(id)).as("read %s after its write", i).isEqualTo(new Score(id, i));
    }
  }

  private static long total(Map<Integer, Long> perMaster) {
    return perMaster.values().stream().mapToLong(Long::longValue).sum();
  }
}
