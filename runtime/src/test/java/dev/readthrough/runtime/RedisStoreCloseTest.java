package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.runtime.internal.redis.RedisStore;
import dev.readthrough.testing.TestRedis;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link RedisStore#close()} against a check that is about to create the client. */
class RedisStoreCloseTest {

  private static Set<Thread> ioThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("readthrough-redis-io"))
        .collect(Collectors.toSet());
  }

  /**
   * A probe past the breaker's shut-down check reaches {@code check()} while the engine closes. In
   * 0.1 it then created a Redisson client after {@code close()}, which nothing ever shut down.
   */
  @Test
  void closeJustBeforeTheCheckCreatesTheClient_noClientIsCreated() {
    RedisStore store =
        new RedisStore(ReadThroughConfig.builder().redisUri(TestRedis.uri()).build());
    Set<Thread> before = ioThreads();
    store.beforeCreate = store::close;
    try {
      assertThatThrownBy(store::check)
          .isInstanceOf(RedisStore.StoreException.class)
          .hasMessageContaining("closed");
      assertThat(store.isConnected()).isFalse();
      Set<Thread> started = ioThreads();
      started.removeAll(before);
      assertThat(started).as("I/O threads started by the closed store").isEmpty();
    } finally {
      store.beforeCreate = null;
      store.close();
    }
  }

  @Test
  void checkAfterClose_failsWithoutCreatingAClient() {
    RedisStore store =
        new RedisStore(ReadThroughConfig.builder().redisUri(TestRedis.uri()).build());
    store.close();
    assertThatThrownBy(store::check).isInstanceOf(RedisStore.StoreException.class);
    assertThat(store.isConnected()).isFalse();
  }
}
