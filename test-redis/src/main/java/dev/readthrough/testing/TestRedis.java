package dev.readthrough.testing;

import org.jspecify.annotations.Nullable;

/**
 * The Redis that tests share within one JVM: the {@code REDIS_URL} environment variable if set,
 * else a Testcontainers Redis where a Docker engine answers, else a local {@link RedisProcess}.
 *
 * <p>Tests that stop, freeze or restart Redis must not use this one: they start their own {@link
 * RedisProcess}, so that no other server is ever touched.
 */
public final class TestRedis {

  private static @Nullable String uri;
  private static @Nullable String source;

  private TestRedis() {}

  /** Returns the URI of the shared Redis, starting it on first use. */
  public static synchronized String uri() {
    if (uri == null) {
      String fromEnv = System.getenv("REDIS_URL");
      if (fromEnv != null && !fromEnv.isBlank()) {
        uri = fromEnv;
        source = "REDIS_URL";
      } else {
        String container = dockerRedis();
        if (container != null) {
          uri = container;
          source = "Testcontainers";
        } else {
          uri = RedisProcess.start().uri();
          source = "local redis-server";
        }
      }
    }
    return uri;
  }

  /** Says where the shared Redis came from, for test logs. */
  public static synchronized String source() {
    uri();
    return source == null ? "unknown" : source;
  }

  private static @Nullable String dockerRedis() {
    if (!Boolean.parseBoolean(System.getProperty("readthrough.testcontainers", "true"))) {
      return null;
    }
    try {
      Class.forName("org.testcontainers.DockerClientFactory");
    } catch (ClassNotFoundException e) {
      return null;
    }
    return ContainerRedis.startIfDockerAnswers();
  }
}
