package dev.readthrough.testing;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** Starts Redis in a container; loaded only when Testcontainers is on the class path. */
final class ContainerRedis {

  private ContainerRedis() {}

  @SuppressWarnings("resource") // lives as long as the JVM; Testcontainers' reaper removes it
  static @Nullable String startIfDockerAnswers() {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      docker = false;
    }
    if (!docker) {
      return null;
    }
    GenericContainer<?> redis =
        new GenericContainer<>(DockerImageName.parse("redis:7.4-alpine")).withExposedPorts(6379);
    redis.start();
    return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
  }
}
