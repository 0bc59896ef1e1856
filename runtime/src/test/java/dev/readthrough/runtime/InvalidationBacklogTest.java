package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.internal.resilience.InvalidationBacklog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the backlog keeps, how it overflows into clearing a cache whole, and how it replays. */
class InvalidationBacklogTest {

  private final List<String> sent = new ArrayList<>();
  private boolean redisAnswers = true;

  private final InvalidationBacklog.Sender sender =
      new InvalidationBacklog.Sender() {
        @Override
        public boolean unlink(List<String> keys) {
          if (redisAnswers) {
            sent.addAll(keys);
          }
          return redisAnswers;
        }

        @Override
        public boolean clear(String head) {
          if (redisAnswers) {
            sent.add(head + "*");
          }
          return redisAnswers;
        }
      };

  @Test
  void keptKeys_areCovered_andReplayedInOrder() {
    InvalidationBacklog backlog = new InvalidationBacklog(10);
    backlog.addKey("rt:users:", "rt:users:1");
    backlog.addKey("rt:users:", "rt:users:2");
    assertThat(backlog.covers("rt:users:1")).isTrue();
    assertThat(backlog.covers("rt:users:3")).isFalse();

    assertThat(backlog.replay(sender, 500)).isTrue();
    assertThat(sent).containsExactly("rt:users:1", "rt:users:2");
    assertThat(backlog.isEmpty()).isTrue();
    assertThat(backlog.covers("rt:users:1")).isFalse();
  }

  /** A Cluster shard's probe replays the keys of its own shard only, and no kept clear. */
  @Test
  void aFilteredReplay_sendsOnlyTheKeysItAccepts_andKeepsTheRest() {
    InvalidationBacklog backlog = new InvalidationBacklog(10);
    backlog.addKey("rt:users:", "rt:users:1");
    backlog.addKey("rt:users:", "rt:users:2");
    backlog.addKey("rt:users:", "rt:users:3");
    backlog.addHead("rt:orders:");

    assertThat(backlog.replay(sender, 500, key -> !key.endsWith(":2"), false)).isTrue();

    assertThat(sent).containsExactly("rt:users:1", "rt:users:3");
    assertThat(backlog.covers("rt:users:1")).isFalse();
    assertThat(backlog.covers("rt:users:2")).as("another shard's key, still owed").isTrue();
    assertThat(backlog.heads()).as("a clear waits for every shard").containsExactly("rt:orders:");

    assertThat(backlog.replay(sender, 500)).isTrue();
    assertThat(sent).containsExactly("rt:users:1", "rt:users:3", "rt:orders:*", "rt:users:2");
    assertThat(backlog.isEmpty()).isTrue();
  }

  @Test
  void pastTheBound_theCacheIsClearedWhole() {
    InvalidationBacklog backlog = new InvalidationBacklog(2);
    backlog.addKey("rt:users:", "rt:users:1");
    backlog.addKey("rt:users:", "rt:users:2");
    backlog.addKey("rt:users:", "rt:users:3");
    backlog.addKey("rt:orders:", "rt:orders:1");

    assertThat(backlog.heads()).containsExactly("rt:users:");
    assertThat(backlog.covers("rt:users:99")).as("the whole cache is owed a clear").isTrue();
    assertThat(backlog.size()).isEqualTo(2); // the head of users, and orders:1
    assertThat(backlog.replay(sender, 500)).isTrue();
    assertThat(sent).containsExactly("rt:users:*", "rt:orders:1");
  }

  @Test
  void allEntries_isOneItem_andSubsumesItsKeys() {
    InvalidationBacklog backlog = new InvalidationBacklog(10);
    backlog.addKey("rt:users:", "rt:users:1");
    backlog.addHead("rt:users:");
    backlog.addKey("rt:users:", "rt:users:2");
    assertThat(backlog.size()).isEqualTo(1);
  }

  @Test
  void aFailedReplay_keepsWhatWasNotSent() {
    InvalidationBacklog backlog = new InvalidationBacklog(10);
    backlog.addKey("rt:users:", "rt:users:1");
    redisAnswers = false;
    assertThat(backlog.replay(sender, 500)).isFalse();
    assertThat(backlog.covers("rt:users:1")).isTrue();
    redisAnswers = true;
    assertThat(backlog.replay(sender, 500)).isTrue();
    assertThat(sent).containsExactly("rt:users:1");
  }
}
