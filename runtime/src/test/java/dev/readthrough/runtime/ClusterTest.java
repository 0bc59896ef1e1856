package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.runtime.Topologies.Score;
import dev.readthrough.runtime.Topologies.Scores;
import dev.readthrough.testing.LocalCluster;
import dev.readthrough.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        Topologies.startEngine(
            ReadThroughConfig.builder().redisCluster(cluster.uris().toArray(String[]::new)),
            Duration.ofSeconds(1));
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

  /**
   * One bulk call over keys of every master: Redis is read slot by slot, the method runs once with
   * only the missed elements, and the entries are the ones single calls read.
   */
  @Test
  void bulkCall_overEveryMaster_runsTheMethodOnceWithTheMisses_thenHitsEverywhere() {
    for (long id = 1; id <= 50; id++) {
      scores.find(id);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> total(cluster.keysPerMaster()) == 50);
    List<Long> ids = new ArrayList<>();
    for (long id = 1; id <= 200; id++) {
      ids.add(id);
    }

    Map<Long, Score> first = scores.findAll(ids);

    assertThat(first).hasSize(200).containsEntry(7L, new Score(7, 1));
    assertThat(scores.bulkAsked).hasSize(1);
    assertThat(scores.bulkAsked.get(0)).hasSize(150).doesNotContain(1L, 50L).contains(51L, 200L);
    await().atMost(Duration.ofSeconds(10)).until(() -> total(cluster.keysPerMaster()) == 200);

    assertThat(scores.findAll(ids)).isEqualTo(first);
    assertThat(scores.bulkAsked).as("the second bulk call hit every element").hasSize(1);
    int runs = scores.runs.get();
    assertThat(scores.find(150)).isEqualTo(new Score(150, 1));
    assertThat(scores.runs).as("a single call reads the bulk call's entry").hasValue(runs);
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
    Topologies.writeThenRead200Times(scores);
  }

  /**
   * A master is killed under 8 threads of load: no call fails and none returns a wrong value while
   * its replica is promoted, and caching of its keys resumes on the promoted replica within 15 s of
   * the promotion. On a cluster of the test's own, since the promotion is for good.
   */
  @Test
  void masterKilledUnderLoad_noFailedCallNoWrongValue_andCachingOfItsKeysResumes()
      throws Exception {
    engine.close();
    try (LocalCluster own = LocalCluster.start()) {
      engine =
          Topologies.startEngine(
              ReadThroughConfig.builder().redisCluster(own.uris().toArray(String[]::new)),
              Duration.ofMillis(500));
      RedisProcess replica = own.node(3); // started as node 0's replica
      Topologies.Load load = new Topologies.Load("cluster", scores, 300);
      try (load) {
        load.awaitMoreCalls(1000);
        own.node(0).stop();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> own.keysPerMaster().containsKey(replica.port()));

        long resumedMillis = Topologies.awaitCachingOn(replica, id -> ownsSlot(replica, id));

        load.awaitMoreCalls(1000);
        System.out.printf(
            "cluster failover: caching of the killed master's keys resumed %d ms after the"
                + " promotion was seen; %d calls, %d failed, %d wrong, %d bypassed%n",
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

  /**
   * A master is frozen (SIGSTOP) under 8 threads of load: a call on one of its keys waits at most
   * the operation timeout and the margin, then runs the method, and once that master's shard opened
   * its breaker runs it at once; calls on the other masters' keys stay hits throughout, since only
   * the frozen master's breaker opens. On a cluster of the test's own, which the freeze fails over.
   */
  @Test
  void masterFrozenUnderLoad_costsItsKeysAtMostOneTimeout_andTheOtherMastersKeysNothing()
      throws Exception {
    engine.close();
    try (LocalCluster own = LocalCluster.start()) {
      Duration timeout = Duration.ofMillis(500);
      engine =
          Topologies.startEngine(
              ReadThroughConfig.builder().redisCluster(own.uris().toArray(String[]::new)), timeout);
      RedisProcess frozen = own.node(0);
      Set<Long> frozenIds = new HashSet<>();
      long otherId = -1;
      for (long id = 0; id < 300; id++) {
        scores.find(id);
        if (ownsSlot(frozen, id)) {
          frozenIds.add(id);
        } else {
          otherId = id;
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> total(own.keysPerMaster()) == 300);
      String frozenKey = "rt:scores:" + frozenIds.iterator().next();
      String otherKey = "rt:scores:" + otherId;
      scores.runsOf.clear();
      Topologies.Load load =
          new Topologies.Load("cluster-frozen", scores, 300, frozenIds::contains);
      long openedMillis;
      try (load) {
        load.awaitMoreCalls(1000);
        assertThat(scores.runsOf).as("every key cached before the freeze").isEmpty();
        load.forgetTimes();
        frozen.freeze();
        long start = System.nanoTime();
        try {
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> !engine.guard().breakerOf(frozenKey).isClosed());
          openedMillis = (System.nanoTime() - start) / 1_000_000;
          load.awaitMoreCalls(2000);
          assertThat(engine.guard().breakerOf(otherKey).isClosed())
              .as("the other masters' breaker")
              .isTrue();
        } finally {
          frozen.thaw();
        }
      }
      System.out.printf(
          "cluster frozen master: its shard's breaker opened %d ms after the freeze; its keys: %s;"
              + " the other masters' keys: %s; %d calls, %d failed, %d wrong, %d bypassed, the"
              + " method ran for %d of the frozen master's %d keys and for %d others%n",
          openedMillis,
          Topologies.Load.spread(load.markedNanos),
          Topologies.Load.spread(load.otherNanos),
          load.calls.get(),
          load.failed.get(),
          load.wrong.get(),
          engine.stats("scores").bypassed(),
          scores.runsOf.keySet().stream().filter(frozenIds::contains).count(),
          frozenIds.size(),
          scores.runsOf.keySet().stream().filter(id -> !frozenIds.contains(id)).count());
      assertThat(load.failed).as("failed calls").hasValue(0);
      assertThat(load.wrong).as("wrong values").hasValue(0);
      assertThat(scores.runsOf.keySet())
          .as("the method ran only for the frozen master's keys: the others stayed hits")
          .isSubsetOf(frozenIds);
      assertThat(Duration.ofNanos(Collections.max(load.markedNanos)))
          .as("the longest call on a frozen master's key")
          .isLessThanOrEqualTo(Bounds.call(timeout));
    }
  }

  /**
   * A bulk call right after a master froze reads each shard apart: only the frozen master's
   * elements run the method. While that master's breaker is open, a delete of one of its keys is
   * kept and a delete of another master's key goes through at once; once the frozen master answers
   * again, its shard's probe sends it the kept delete before its keys are used again.
   */
  @Test
  void whileAMasterIsFrozen_bulkReadsHitTheOthers_othersDeletesGoThrough_itsOwnAreSentLater()
      throws Exception {
    engine.close();
    try (LocalCluster own = LocalCluster.start()) {
      engine =
          Topologies.startEngine(
              ReadThroughConfig.builder()
                  .redisCluster(own.uris().toArray(String[]::new))
                  .failureThreshold(1),
              Duration.ofMillis(500));
      RedisProcess frozen = own.node(0);
      RedisProcess other = own.node(1);
      List<Long> ids = new ArrayList<>();
      List<Long> frozenIds = new ArrayList<>();
      long onOther = -1;
      for (long id = 0; id < 60; id++) {
        ids.add(id);
        scores.find(id);
        if (ownsSlot(frozen, id)) {
          frozenIds.add(id);
        } else if (onOther < 0 && ownsSlot(other, id)) {
          onOther = id;
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> total(own.keysPerMaster()) == 60);
      long onFrozen = frozenIds.get(0);
      String frozenKey = "rt:scores:" + onFrozen;
      String otherKey = "rt:scores:" + onOther;

      frozen.freeze();
      try {
        Map<Long, Score> found = scores.findAll(ids);

        assertThat(found).hasSize(60).containsEntry(onOther, new Score(onOther, 1));
        assertThat(scores.bulkAsked)
            .as("the method ran once, for the frozen master's elements only")
            .containsExactly(frozenIds);
        assertThat(engine.guard().breakerOf(frozenKey).isClosed()).isFalse();
        assertThat(engine.guard().breakerOf(otherKey).isClosed()).isTrue();

        engine.invalidate("scores", onFrozen);
        engine.invalidate("scores", onOther);

        assertThat(other.command("EXISTS", otherKey)).as("the other master's key").isEqualTo(":0");
        assertThat(engine.guard().backlog().covers(otherKey)).isFalse();
        assertThat(engine.guard().backlog().covers(frozenKey)).isTrue();
      } finally {
        frozen.thaw();
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> engine.guard().breakerOf(frozenKey).isClosed());

      assertThat(frozen.command("EXISTS", frozenKey))
          .as("the kept delete, sent to the master of its key before its breaker closed")
          .isEqualTo(":0");
      assertThat(engine.guard().backlog().isEmpty()).isTrue();
    }
  }

  /** Whether {@code node} serves the slot of {@code id}'s key: it answers a read of it itself. */
  private static boolean ownsSlot(RedisProcess node, long id) {
    return !node.command("EXISTS", "rt:scores:" + id).startsWith("-MOVED");
  }

  private static long total(Map<Integer, Long> perMaster) {
    return perMaster.values().stream().mapToLong(Long::longValue).sum();
  }
}
