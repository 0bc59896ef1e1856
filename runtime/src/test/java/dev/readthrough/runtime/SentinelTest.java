package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.runtime.Topologies.Scores;
import dev.readthrough.testing.LocalSentinel;
import dev.readthrough.testing.RedisProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract against a real local Sentinel group (a master, a replica, three sentinels): entries
 * land on the master under the contract keys, a second call is a hit, {@code invalidateAll} leaves
 * nothing, and a write followed at once by a read returns the new value (reads go to the master).
 */
class SentinelTest {

  private static LocalSentinel group;
  private ReadThroughEngine engine;
  private final Scores scores = new Scores();

  @BeforeAll
  static void startGroup() {
    group = LocalSentinel.start();
  }

  @AfterAll
  static void stopGroup() {
    group.close();
  }

  @BeforeEach
  void startEngine() {
    engine =
        Topologies.startEngine(
            ReadThroughConfig.builder()
                .redisSentinel(
                    LocalSentinel.MASTER_NAME, group.sentinelUris().toArray(String[]::new)),
            Duration.ofSeconds(1));
    engine.invalidateAll("scores");
  }

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  @Test
  void entries_landOnTheMasterUnderTheContractKeys_andAreHitsThereafter() {
    for (long id = 1; id <= 100; id++) {
      scores.find(id);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> keysOnTheMaster() == 100);
    assertThat(group.master().command("EXISTS", "rt:scores:42")).isEqualTo(":1");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> group.replicas().get(0).command("DBSIZE").equals(":100"));

    int runs = scores.runs.get();
    for (long id = 1; id <= 100; id++) {
      scores.find(id);
    }
    assertThat(scores.runs).as("every second call a hit").hasValue(runs);
    assertThat(engine.stats("scores").errors()).isZero();
  }

  @Test
  void invalidateAll_leavesNothing() {
    for (long id = 1; id <= 50; id++) {
      scores.find(id);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> keysOnTheMaster() == 50);

    assertThat(engine.invalidateAll("scores")).isEqualTo(50);

    assertThat(keysOnTheMaster()).isZero();
  }

  @Test
  void aWriteFollowedAtOnceByARead_returnsTheNewValue_200TimesInARow() {
    Topologies.writeThenRead200Times(scores);
  }

  /**
   * The master is killed under 8 threads of load: no call fails and none returns a wrong value
   * while the sentinels promote the replica, and caching resumes on the new master within 15 s of
   * the promotion. On a group of the test's own, since the promotion is for good.
   */
  @Test
  void masterKilledUnderLoad_noFailedCallNoWrongValue_andCachingResumesAfterThePromotion()
      throws Exception {
    engine.close();
    try (LocalSentinel own = LocalSentinel.start()) {
      engine =
          Topologies.startEngine(
              ReadThroughConfig.builder()
                  .redisSentinel(
                      LocalSentinel.MASTER_NAME, own.sentinelUris().toArray(String[]::new)),
              Duration.ofMillis(500));
      RedisProcess promoted = own.replicas().get(0);
      Topologies.Load load = new Topologies.Load("sentinel", scores, 100);
      try (load) {
        load.awaitMoreCalls(1000);
        int oldMaster = own.master().port();
        own.master().stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> own.currentMasterPort() != oldMaster);
        assertThat(own.currentMasterPort()).isEqualTo(promoted.port());

        long resumedMillis = Topologies.awaitCachingOn(promoted, id -> true);

        load.awaitMoreCalls(1000);
        System.out.printf(
            "sentinel failover: caching resumed %d ms after the promotion was seen; %d calls,"
                + " %d failed, %d wrong, %d bypassed%n",
            resumedMillis,
            load.calls.get(),
            load.failed.get(),
            load.wrong.get(),
            engine.stats("scores").bypassed());
      }
      assertThat(load.failed).as("failed calls").hasValue(0);
      assertThat(load.wrong).as("wrong values").hasValue(0);
    }
  }

  private static long keysOnTheMaster() {
    return Long.parseLong(group.master().command("DBSIZE").substring(1));
  }
}
