package dev.readthrough.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.runtime.CacheStats;
import org.junit.jupiter.api.Test;

class SampleAppTest {

  private static final CacheStats BEFORE = new CacheStats(3, 2, 1, 0, 0, 0, 2, 0);

  @Test
  void outcome_namesTheOneCounterThatMoved() {
    assertThat(SampleApp.outcome(BEFORE, new CacheStats(4, 2, 1, 0, 0, 0, 2, 0))).isEqualTo("HIT");
    assertThat(SampleApp.outcome(BEFORE, new CacheStats(3, 3, 1, 0, 0, 0, 3, 0))).isEqualTo("MISS");
    assertThat(SampleApp.outcome(BEFORE, new CacheStats(4, 2, 1, 0, 0, 0, 2, 0, 0, 0, 1)))
        .isEqualTo("LOCAL");
    assertThat(SampleApp.outcome(BEFORE, new CacheStats(3, 2, 2, 0, 0, 0, 2, 0)))
        .isEqualTo("SHARED");
    assertThat(SampleApp.outcome(BEFORE, new CacheStats(3, 2, 1, 1, 1, 0, 2, 0)))
        .isEqualTo("BYPASSED");
  }

  @Test
  void outcome_ofNoneOrSeveralCalls_isAnError() {
    assertThatThrownBy(() -> SampleApp.outcome(BEFORE, BEFORE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expected one counted outcome");
    assertThatThrownBy(() -> SampleApp.outcome(BEFORE, new CacheStats(4, 3, 1, 0, 0, 0, 3, 0)))
        .isInstanceOf(IllegalStateException.class);
  }
}
