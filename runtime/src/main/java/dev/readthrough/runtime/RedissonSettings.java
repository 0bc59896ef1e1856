package dev.readthrough.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

/**
 * Turns a {@link ReadThroughConfig} into the Redisson {@link Config} the engine connects with:
 * the servers it names, with timeouts and retries derived from the operation timeout.
 */
final class RedissonSettings {

  /**
   * Redisson's response and connect timeouts never go below this, whatever the operation timeout.
   * Callers never wait longer than the operation timeout (the store bounds each wait itself);
   * the floor only keeps a cold JVM's first connection from being refused over a slow PING.
   */
  static final int TIMEOUT_FLOOR_MILLIS = 1000;

  /** How often idle connections are pinged, so that a dead server is noticed without a call. */
  static final int PING_INTERVAL_MILLIS = 1000;

  private RedissonSettings() {}

  /**
   * Returns the Redisson configuration for {@code config}, which must name a URI or a YAML file
   * (not a client of the application's own).
   *
   * @throws IllegalStateException if the YAML file cannot be read
   */
  static Config of(ReadThroughConfig config) {
    Path yaml = config.redissonYaml();
    int timeoutMillis = (int) Math.max(1, config.operationTimeout().toMillis());
    if (yaml != null) {
      Config redisson;
      try {
        redisson = Config.fromYAML(yaml.toFile());
      } catch (IOException e) {
        throw new IllegalStateException("cannot read redissonYaml " + yaml + ": " + e.getMessage(), e);
      }
      if (redisson.isSingleConfig()) {
        tune(redisson.useSingleServer(), timeoutMillis);
      }
      return redisson;
    }
    ReadThroughConfig.RedisAddress address =
        ReadThroughConfig.RedisAddress.parse(Objects.requireNonNull(config.redisUri(), "redisUri"));
    Config redisson = new Config();
    // credentials on Config, as Redisson 4 wants them: on the server settings they are
    // deprecated, and Redisson warns each time it copies them (three times per connect)
    redisson.setUsername(address.username());
    redisson.setPassword(address.password());
    SingleServerConfig server = redisson.useSingleServer()
        .setAddress(address.address())
        .setDatabase(address.database())
        .setConnectionMinimumIdleSize(2)
        .setConnectionPoolSize(64);
    tune(server, timeoutMillis);
    return redisson;
  }

  /** Redisson's defaults block a caller 6–20 s when Redis is down; derive them from ours. */
  private static void tune(SingleServerConfig server, int timeoutMillis) {
    int floored = Math.max(timeoutMillis, TIMEOUT_FLOOR_MILLIS);
    server.setTimeout(floored)
        .setConnectTimeout(floored)
        .setRetryAttempts(0)
        .setPingConnectionInterval(PING_INTERVAL_MILLIS)
        .setSubscriptionTimeout(floored);
  }
}
