package dev.readthrough.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.CacheStats;
import org.junit.jupiter.api.Test;

class StatsDeltaTest {

  @Test
  void between_subtractsEveryCounter() {
    CacheStats before = new CacheStats(1, 2, 3, 4, 5, 6, 7, 8);
    CacheStats now = new CacheStats(11, 22, 33, 44, 55, 66, 77, 88);

    assertThat(StatsDelta.between(before, now))
        .isEqualTo(new CacheStats(10, 20, 30, 40, 50, 60, 70, 80));
  }

  @Test
  void between_equalSnapshots_isEmpty() {
    CacheStats stats = new CacheStats(1, 2, 3, 4, 5, 6, 7, 8);

    assertThat(StatsDelta.between(stats, stats)).isEqualTo(CacheStats.empty());
  }
}
