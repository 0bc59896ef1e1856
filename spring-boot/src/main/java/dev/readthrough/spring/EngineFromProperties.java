package dev.readthrough.spring;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;

/**
 * Turns the {@code readthrough.*} properties into the engine's configuration and starts it,
 * reporting every rejected setting under the name of the property that gave it.
 *
 * <p>The rules themselves stay in {@link ReadThroughConfig.Builder}: each property is handed to its
 * setter, and the setter's {@link IllegalArgumentException} becomes an {@link
 * InvalidConfigurationPropertyValueException} naming the property, which Spring Boot's failure
 * analysis prints with the place the value came from. Values that may hold credentials are shown
 * redacted.
 */
final class EngineFromProperties {

  static final String REDIS_URI = "readthrough.redis-uri";
  static final String CLUSTER_NODES = "readthrough.cluster-nodes";
  static final String SENTINEL_MASTER = "readthrough.sentinel-master";
  static final String SENTINEL_NODES = "readthrough.sentinel-nodes";
  static final String REDISSON_YAML = "readthrough.redisson-yaml";
  static final String KEY_PREFIX = "readthrough.key-prefix";
  static final String OPERATION_TIMEOUT = "readthrough.operation-timeout";

  private EngineFromProperties() {}

  /**
   * Starts the engine that {@code properties}, the application's client (if the properties name no
   * Redis) and the customizers describe.
   *
   * @throws InvalidConfigurationPropertyValueException if a property's value is rejected
   * @throws MutuallyExclusiveConfigurationPropertiesException if two connection properties are set
   * @throws IllegalStateException if no Redis is named and there is no single {@code
   *     RedissonClient} bean, or another engine runs in this JVM
   */
  static ReadThroughEngine start(
      ReadThroughProperties properties,
      ObjectProvider<RedissonClient> clients,
      List<ReadThroughConfigCustomizer> customizers) {
    ReadThroughConfig config = config(properties, clients, customizers);
    try {
      return ReadThroughEngine.start(config);
    } catch (IllegalArgumentException e) {
      // start rejects only a Redisson YAML file it cannot read or that is not a configuration
      Path file = config.redissonYaml();
      if (file == null) {
        throw e;
      }
      throw new InvalidConfigurationPropertyValueException(
          REDISSON_YAML, file, Objects.requireNonNullElse(e.getMessage(), e.toString()));
    }
  }

  /**
   * The configuration {@code properties}, {@code clients} (the application's {@code RedissonClient}
   * beans, asked for only when no connection property is set: the only one, or the primary one) and
   * {@code customizers} describe; see {@link #start}.
   */
  static ReadThroughConfig config(
      ReadThroughProperties properties,
      ObjectProvider<RedissonClient> clients,
      List<ReadThroughConfigCustomizer> customizers) {
    ReadThroughConfig.Builder builder = ReadThroughConfig.builder();
    if (!target(properties, builder)) {
      builder.redisson(applicationClient(clients));
    }
    String prefix = properties.keyPrefix();
    if (prefix != null) {
      set(KEY_PREFIX, prefix, () -> builder.keyPrefix(prefix));
    }
    if (properties.operationTimeout() != null) {
      set(
          OPERATION_TIMEOUT,
          properties.operationTimeout(),
          () -> builder.operationTimeout(Objects.requireNonNull(properties.operationTimeout())));
    }
    for (ReadThroughConfigCustomizer customizer : customizers) {
      customizer.customize(builder);
    }
    return builder.build();
  }

  /**
   * Sets the Redis target the connection properties name, if any, and says whether one did.
   *
   * @throws MutuallyExclusiveConfigurationPropertiesException if more than one is set
   */
  private static boolean target(
      ReadThroughProperties properties, ReadThroughConfig.Builder builder) {
    String uri = properties.redisUri();
    String master = properties.sentinelMaster();
    List<String> sentinels = properties.sentinelNodes();
    List<String> cluster = properties.clusterNodes();
    var yaml = properties.redissonYaml();
    MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn(
        entries -> {
          entries.put(REDIS_URI, uri);
          entries.put(CLUSTER_NODES, cluster.isEmpty() ? null : cluster);
          entries.put(SENTINEL_NODES, master == null && sentinels.isEmpty() ? null : sentinels);
          entries.put(REDISSON_YAML, yaml);
        });
    if (uri != null) {
      set(REDIS_URI, ReadThroughProperties.redact(uri), () -> builder.redisUri(uri));
    } else if (!cluster.isEmpty()) {
      set(
          CLUSTER_NODES,
          ReadThroughProperties.redactAll(cluster),
          () -> builder.redisCluster(cluster.toArray(String[]::new)));
    } else if (master != null || !sentinels.isEmpty()) {
      if (master == null) {
        throw new InvalidConfigurationPropertyValueException(
            SENTINEL_MASTER, "", "the master's name is needed with " + SENTINEL_NODES);
      }
      if (sentinels.isEmpty()) {
        throw new InvalidConfigurationPropertyValueException(
            SENTINEL_NODES, "", "give at least one sentinel URI with " + SENTINEL_MASTER);
      }
      set(
          master.isBlank() ? SENTINEL_MASTER : SENTINEL_NODES,
          master.isBlank() ? master : ReadThroughProperties.redactAll(sentinels),
          () -> builder.redisSentinel(master, sentinels.toArray(String[]::new)));
    } else if (yaml != null) {
      set(REDISSON_YAML, yaml, () -> builder.redissonYaml(yaml));
    } else {
      return false;
    }
    return true;
  }

  /** The one client to use when no connection property is set. */
  private static RedissonClient applicationClient(ObjectProvider<RedissonClient> clients) {
    RedissonClient client = clients.getIfUnique();
    if (client != null) {
      return client;
    }
    long found = clients.stream().count();
    throw new IllegalStateException(
        (found == 0
                ? "Readthrough has no Redis to use: "
                : "Readthrough found " + found + " RedissonClient beans and none is @Primary: ")
            + "set one of "
            + String.join(", ", REDIS_URI, CLUSTER_NODES, REDISSON_YAML)
            + " or "
            + SENTINEL_MASTER
            + " with "
            + SENTINEL_NODES
            + ", or define one RedissonClient bean; readthrough.enabled=false turns the engine off");
  }

  /** Runs one builder setter, reporting its rejection under {@code property}. */
  private static void set(String property, Object shownValue, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(
          property, shownValue, Objects.requireNonNullElse(e.getMessage(), e.toString()));
    }
  }
}
