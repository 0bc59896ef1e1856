package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.internal.redis.RedisGuard;
import dev.readthrough.runtime.internal.redis.RedisStore;
import dev.readthrough.testing.RedisProcess;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisTimeoutException;
import org.redisson.config.Config;

/**
 * Each command the engine sends fails by itself once the operation timeout has passed without an
 * answer, through Redisson's own timer: nobody has to wait for it with a timeout of their own. Both
 * for the client the engine creates and for a client of the application's with Redisson's defaults
 * (a 3 s timeout and 4 retries), against a redis-server of this test's own that it freezes.
 */
class CommandTimeoutTest {

  private static final Duration TIMEOUT = Duration.ofMillis(200);

  private RedisProcess redis;
  private RedissonClient applicationClient;
  private RedisStore store;

  @AfterEach
  void stop() {
    if (store != null) {
      store.close();
    }
    if (applicationClient != null) {
      applicationClient.shutdown();
    }
    if (redis != null) {
      redis.thaw();
      redis.close();
    }
  }

  /** What the engine may send; each one's future is all a caller gets. */
  static Stream<Arguments> commands() {
    String[] keys =
        IntStream.range(0, 5_000).mapToObj(i -> "rt:timeout:" + i).toArray(String[]::new);
    Function<RedisStore, CompletableFuture<?>> get = s -> s.getAsync("rt:timeout:1");
    Function<RedisStore, CompletableFuture<?>> mget = s -> s.getAllAsync(keys);
    Function<RedisStore, CompletableFuture<?>> unlink = s -> s.unlinkAsync("rt:timeout:1");
    Function<RedisStore, CompletableFuture<?>> scan =
        s -> {
          try {
            return s.scan("rt:timeout:", RedisGuard.BATCH).hasNext().toCompletableFuture();
          } catch (RedisStore.StoreException e) {
            return CompletableFuture.failedFuture(e);
          }
        };
    return Stream.of(true, false)
        .flatMap(
            own ->
                Stream.of(
                    Arguments.of(own, "GET", get),
                    Arguments.of(own, "MGET of 5,000 keys", mget),
                    Arguments.of(own, "UNLINK", unlink),
                    Arguments.of(own, "SCAN step", scan)));
  }

  private void connect(boolean ownClient) throws RedisStore.StoreException {
    redis = RedisProcess.start();
    ReadThroughConfig.Builder config = ReadThroughConfig.builder().operationTimeout(TIMEOUT);
    if (ownClient) {
      config.redisUri(redis.uri());
    } else {
      Config defaults = new Config();
      defaults.useSingleServer().setAddress(redis.uri());
      applicationClient = Redisson.create(defaults);
      config.redisson(applicationClient);
    }
    store = new RedisStore(config.build());
    store.check(); // connected, and the first connection's hand-shake done
  }

  @ParameterizedTest(name = "engine''s own client: {0}, {1}")
  @MethodSource("commands")
  void redisFrozen_eachCommandFailsByItself_withinTheOperationTimeoutAndMargin(
      boolean ownClient, String command, Function<RedisStore, CompletableFuture<?>> send)
      throws Exception {
    connect(ownClient);
    redis.freeze();

    long start = System.nanoTime();
    CompletableFuture<?> sent = send.apply(store);
    Throwable failure = null;
    try {
      sent.get(30, TimeUnit.SECONDS); // far past any bound: only says that it did not hang
    } catch (ExecutionException e) {
      failure = e.getCause();
    } catch (TimeoutException e) {
      failure = e;
    }
    Duration waited = Duration.ofNanos(System.nanoTime() - start);

    assertThat(failure).as(command + " failed").isInstanceOf(RedisTimeoutException.class);
    assertThat(waited).as(command + " failed after").isLessThanOrEqualTo(Bounds.call(TIMEOUT));
  }
}
