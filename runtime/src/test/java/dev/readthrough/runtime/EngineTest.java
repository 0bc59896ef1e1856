package dev.readthrough.runtime;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the test classes that run woven methods through one engine on the shared test Redis: the
 * engine lives as long as the class, and keys under {@code rt:} are removed before each test.
 */
abstract class EngineTest {

  static RedisFixture redis;

  @BeforeAll
  static void startEngine() {
    redis = RedisFixture.start();
  }

  @AfterAll
  static void stopEngine() {
    redis.close();
  }

  @BeforeEach
  void clearKeys() {
    redis.clear();
  }

  /** Waits for an asynchronous store to land. */
  static void awaitStored(String key) {
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.exists(key));
  }
}
