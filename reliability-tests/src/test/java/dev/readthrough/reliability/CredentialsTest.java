package dev.readthrough.reliability;

import static dev.readthrough.reliability.Engines.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.RedisProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user name and password in a Redis URI never appear in logs (the engine's, Redisson's or
 * Netty's, at DEBUG), in {@code toString()} of the configuration or engine, or in exception
 * messages: with the right password, a wrong one, and while Redis is down.
 */
class CredentialsTest {

  private static final String PASSWORD = "Pw-7f3c91e2-secret";
  private static final String WRONG_PASSWORD = "Wrong-9d2e44-secret";
  private static final String USER = "svc-reader-q9";

  static final class Accounts {
    @ReadThrough(cache = "accounts", key = "id", ttlSeconds = 300)
    String owner(int id) {
      return "owner-" + id;
    }
  }

  private final Accounts accounts = new Accounts();
  private RedisProcess redis;
  private ReadThroughEngine engine;
  private LogCapture log;

  @BeforeEach
  void captureLogs() {
    log = LogCapture.everything();
  }

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
    if (redis != null) {
      redis.stop();
    }
    log.close();
  }

  private static String uri(String user, String password, RedisProcess redis) {
    return "redis://" + user + ":" + password + "@127.0.0.1:" + redis.port();
  }

  private void assertNoSecretAnywhere(String... secrets) {
    String text = log.fullText() + engine.config() + "\n" + engine;
    assertThat(log.size()).as("log events captured").isPositive();
    for (String secret : secrets) {
      assertThat(text).doesNotContain(secret);
    }
  }

  private void awaitCachingWorks() {
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              long before = engine.stats("accounts").hits();
              assertThat(accounts.owner(1)).isEqualTo("owner-1");
              return engine.stats("accounts").hits() > before;
            });
  }

  /**
   * Starts a redis-server that requires {@link #PASSWORD}. The password is set after start-up:
   * RedisProcess checks that a server is up with a PING that carries no password.
   */
  private static RedisProcess startWithPassword() {
    RedisProcess server = RedisProcess.start();
    requirePassword(server);
    return server;
  }

  private static void requirePassword(RedisProcess server) {
    assertThat(server.command("CONFIG", "SET", "requirepass", PASSWORD)).isEqualTo("+OK");
  }

  /** Kills Redis, makes calls until the breaker opens, and brings Redis back. */
  private void outageAndRecovery() {
    redis.stop();
    for (int id = 10; id < 20; id++) {
      assertThat(accounts.owner(id)).isEqualTo("owner-" + id);
    }
    assertThat(engine.isRedisAvailable()).isFalse();
    redis.restart();
    requirePassword(redis);
    await().atMost(PATIENCE).until(engine::isRedisAvailable);
    awaitCachingWorks();
  }

  @Test
  void requirePass_rightPassword_neverShownInLogsToStringsOrErrors_evenThroughAnOutage() {
    redis = startWithPassword();
    engine = ReadThroughEngine.start(Engines.config(uri("", PASSWORD, redis)).build());
    awaitCachingWorks();

    outageAndRecovery();

    assertNoSecretAnywhere(PASSWORD);
  }

  @Test
  void requirePass_wrongPassword_runsUncached_andNeverShowsThePassword() {
    redis = startWithPassword();
    engine = ReadThroughEngine.start(Engines.config(uri("", WRONG_PASSWORD, redis)).build());

    for (int id = 0; id < 5; id++) {
      assertThat(accounts.owner(id)).isEqualTo("owner-" + id);
    }
    assertThat(engine.isRedisAvailable()).isFalse();
    assertThat(log.warnings()).anyMatch(w -> w.contains("started without Redis"));
    assertNoSecretAnywhere(WRONG_PASSWORD, PASSWORD);
  }

  @Test
  void aclUser_rightPassword_neverShowsUserOrPassword_evenThroughAnOutage() {
    redis = RedisProcess.start();
    assertThat(redis.command("ACL", "SETUSER", USER, "on", ">" + PASSWORD, "~*", "+@all"))
        .isEqualTo("+OK");
    engine = ReadThroughEngine.start(Engines.config(uri(USER, PASSWORD, redis)).build());
    awaitCachingWorks();

    redis.stop(); // the restarted server has no ACL user until it is created again
    for (int id = 10; id < 20; id++) {
      assertThat(accounts.owner(id)).isEqualTo("owner-" + id);
    }
    redis.restart();
    assertThat(redis.command("ACL", "SETUSER", USER, "on", ">" + PASSWORD, "~*", "+@all"))
        .isEqualTo("+OK");
    await().atMost(PATIENCE).until(engine::isRedisAvailable);
    awaitCachingWorks();

    assertNoSecretAnywhere(USER, PASSWORD);
  }

  @Test
  void aclUser_wrongPassword_runsUncached_andNeverShowsUserOrPassword() {
    redis = RedisProcess.start();
    assertThat(redis.command("ACL", "SETUSER", USER, "on", ">" + PASSWORD, "~*", "+@all"))
        .isEqualTo("+OK");
    engine = ReadThroughEngine.start(Engines.config(uri(USER, WRONG_PASSWORD, redis)).build());

    for (int id = 0; id < 5; id++) {
      assertThat(accounts.owner(id)).isEqualTo("owner-" + id);
    }
    assertThat(engine.isRedisAvailable()).isFalse();
    assertNoSecretAnywhere(USER, WRONG_PASSWORD, PASSWORD);
  }

  /**
   * Starts the engine while {@code redis} is down, so that each probe builds a new client, then
   * brings it back and waits until caching works.
   */
  private void startWhileDownThenRecover(String uri) {
    redis.stop();
    engine = ReadThroughEngine.start(Engines.config(uri).build());
    assertThat(engine.isRedisAvailable()).isFalse();
    redis.restart();
    await().atMost(PATIENCE).until(engine::isRedisAvailable);
    awaitCachingWorks();
  }

  @Test
  void requirePass_passwordInUri_isReachedWithoutRedissonsDeprecationWarning_atStartOrProbe() {
    redis = RedisProcess.start("--requirepass", PASSWORD); // kept by restart()

    startWhileDownThenRecover(uri("", PASSWORD, redis));

    assertThat(log.fullText()).doesNotContain("deprecated");
  }

  @Test
  void aclUser_inUri_isReachedWithoutRedissonsDeprecationWarning_atStartOrProbe() {
    redis = RedisProcess.start("--user", USER, "on", ">" + PASSWORD, "~*", "+@all");

    startWhileDownThenRecover(uri(USER, PASSWORD, redis));

    assertThat(log.fullText()).doesNotContain("deprecated");
  }

  @Test
  void invalidUris_areRejectedWithMessagesThatHideTheCredentials() {
    String[] invalid = {
      "http://" + USER + ":" + PASSWORD + "@127.0.0.1:6379",
      "redis://" + USER + ":" + PASSWORD + "@:6379",
      "redis://" + USER + ":" + PASSWORD + "@127.0.0.1:6379/not-a-db",
      "redis://" + USER + ":" + PASSWORD + "@127.0.0.1:6379/0 with space",
    };
    for (String uri : invalid) {
      Throwable thrown = catchThrowable(() -> ReadThroughConfig.builder().redisUri(uri));
      assertThat(thrown)
          .as(uri.replace(PASSWORD, "***"))
          .isInstanceOf(IllegalArgumentException.class);
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(PASSWORD).doesNotContain(USER);
    }
  }
}
