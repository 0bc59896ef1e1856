package dev.readthrough.runtime.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.testing.LocalCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The slot of a key, computed here, is the one a Cluster node computes for it. */
class SlotsTest {

  @Test
  void everySlot_isTheOneClusterKeyslotAnswers() {
    List<String> keys = new ArrayList<>();
    keys.addAll(
        List.of(
            "rt:scores:42",
            "rt:users:a b",
            "rt:users:{42}",
            "rt:{users}:42",
            "rt:users:{}:42",
            "rt:users:}{x}",
            "rt:users:{{x}}",
            "rt:users:{x",
            "rt:café:naïve",
            "rt:名前:値",
            "rt:emoji:\uD83D\uDE00",
            "",
            "{}",
            "{a}{b}"));
    Random random = new Random(13);
    for (int i = 0; i < 200; i++) {
      StringBuilder key = new StringBuilder("rt:");
      int length = 1 + random.nextInt(24);
      for (int c = 0; c < length; c++) {
        int pick = random.nextInt(10);
        key.append(
            pick == 0
                ? '{'
                : pick == 1
                    ? '}'
                    : pick == 2
                        ? (char) (0xA0 + random.nextInt(0x2000))
                        : (char) ('a' + random.nextInt(26)));
      }
      keys.add(key.toString());
    }
    try (LocalCluster cluster = LocalCluster.start(1, 0)) {
      for (String key : keys) {
        assertThat(":" + Slots.of(key))
            .as("slot of %s", key)
            .isEqualTo(cluster.node(0).command("CLUSTER", "KEYSLOT", key));
      }
    }
  }
}
