package dev.readthrough.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.redisson.config.BaseConfig;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ConfigSupport;
import org.redisson.config.ConstantDelay;
import org.redisson.config.ReadMode;
import org.redisson.config.SubscriptionMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link ReadThroughConfig} into the Redisson {@link Config} the engine connects with,
 * whatever mode it names.
 *
 * <p>Whatever the source (a URI, a YAML file; cluster and sentinel node lists in 0.2), the
 * resulting servers are put through {@link #tune}: timeouts and retries derived from the
 * operation timeout, and reads and subscriptions on masters.
 */
final class RedissonSettings {

  private static final Logger LOG = LoggerFactory.getLogger(RedissonSettings.class);

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
    Config redisson = yaml != null ? fromYaml(yaml) : fromUri(Objects.requireNonNull(config.redisUri(), "redisUri"));
    tune(redisson, config.operationTimeout(), yaml != null ? "redissonYaml " + yaml : "redisUri");
    return redisson;
  }

  private static Config fromUri(String uri) {
    ReadThroughConfig.RedisAddress address = ReadThroughConfig.RedisAddress.parse(uri);
    Config redisson = new Config();
    // credentials on Config, as Redisson 4 wants them: on the server settings they are
    // deprecated, and Redisson warns each time it copies them (three times per connect)
    redisson.setUsername(address.username());
    redisson.setPassword(address.password());
    redisson.useSingleServer()
        .setAddress(address.address())
        .setDatabase(address.database())
        .setConnectionMinimumIdleSize(2)
        .setConnectionPoolSize(64);
    return redisson;
  }

  private static Config fromYaml(Path file) {
    try {
      return Config.fromYAML(file.toFile());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read redissonYaml " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Derives Redisson's timeouts and retries from the operation timeout, in every mode, and points
   * reads and subscriptions at masters: Redisson's defaults block a caller 6 to 20 s when Redis is
   * down, and read from replicas, so that a read right after a write could see the old value.
   */
  static void tune(Config redisson, Duration operationTimeout, String source) {
    BaseConfig<?> servers = ConfigSupport.getConfig(redisson);
    int timeoutMillis = (int) Math.max(1, operationTimeout.toMillis());
    int floored = Math.max(timeoutMillis, TIMEOUT_FLOOR_MILLIS);
    servers.setTimeout(floored)
        .setConnectTimeout(floored)
        .setSubscriptionTimeout(floored)
        .setRetryAttempts(0)
        .setRetryDelay(new ConstantDelay(Duration.ofMillis(timeoutMillis)))
        .setPingConnectionInterval(PING_INTERVAL_MILLIS);
    if (servers instanceof BaseMasterSlaveServersConfig<?> replicated) {
      if (replicated.getReadMode() != ReadMode.MASTER || replicated.getSubscriptionMode() != SubscriptionMode.MASTER) {
        LOG.info("{}: reads and subscriptions go to masters, so that a read sees the write before it"
            + " (readMode was {}, subscriptionMode {})", source, replicated.getReadMode(), replicated.getSubscriptionMode());
      }
      replicated.setReadMode(ReadMode.MASTER).setSubscriptionMode(SubscriptionMode.MASTER);
    }
  }
}
