package dev.readthrough.sample;

import static org.awaitility.Awaitility.await;

import dev.readthrough.testing.TestRedis;
import java.time.Duration;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Looks into the shared test Redis directly. A miss stores its result asynchronously, so a test
 * that wants the next call to find the entry waits for the key first.
 */
final class StoredKeys implements AutoCloseable {

  private final RedissonClient client;

  StoredKeys() {
    Config config = new Config();
    config
        .useSingleServer()
        .setAddress(TestRedis.uri())
        .setConnectionMinimumIdleSize(1)
        .setConnectionPoolSize(2);
    this.client = Redisson.create(config);
  }

  /** Waits until {@code key} exists, up to ten seconds. */
  void awaitStored(String key) {
    await().atMost(Duration.ofSeconds(10)).until(() -> client.getKeys().countExists(key) == 1);
  }

  /** Deletes {@code key} as another client of Redis would, behind the engine's back. */
  void delete(String key) {
    client.getKeys().delete(key);
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
