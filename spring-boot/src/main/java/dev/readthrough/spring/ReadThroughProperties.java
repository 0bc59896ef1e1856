package dev.readthrough.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code readthrough.*} properties: which Redis the engine uses and how it names and bounds its
 * calls. At most one of the connection properties ({@code redis-uri}, {@code cluster-nodes}, {@code
 * sentinel-master} with {@code sentinel-nodes}, {@code redisson-yaml}) may be set; with none, the
 * application's own {@code RedissonClient} bean is used.
 *
 * <p>{@link #toString()} never shows a user name or password.
 *
 * @param enabled Whether to start the engine. With false, cached methods run uncached.
 * @param redisUri The Redis to connect to: redis://[[user]:password@]host[:port][/db], or rediss://
 *     for TLS.
 * @param clusterNodes Node URIs of a Redis Cluster, which is discovered from any of them.
 * @param sentinelMaster Name of the master that the sentinels in sentinel-nodes watch.
 * @param sentinelNodes URIs of the sentinels that name the master sentinel-master.
 * @param redissonYaml Redisson YAML configuration file, of any server mode.
 * @param keyPrefix First part of every key. The engine's default is rt.
 * @param operationTimeout Longest time any Redis call made for a cached method may take. The
 *     engine's default is 200 ms.
 */
@ConfigurationProperties("readthrough")
public record ReadThroughProperties(
    @DefaultValue("true") boolean enabled,
    @Nullable String redisUri,
    @DefaultValue List<String> clusterNodes,
    @Nullable String sentinelMaster,
    @DefaultValue List<String> sentinelNodes,
    @Nullable Path redissonYaml,
    @Nullable String keyPrefix,
    @Nullable Duration operationTimeout) {

  /** The user information of a URI, which may hold a password. */
  private static final Pattern CREDENTIALS = Pattern.compile("(?<=://)[^@/]*@");

  /** Copies the lists, so that the properties cannot change after they were bound. */
  public ReadThroughProperties {
    clusterNodes = List.copyOf(clusterNodes);
    sentinelNodes = List.copyOf(sentinelNodes);
  }

  /** Returns {@code uri} with its user name and password, if any, replaced by {@code ***}. */
  static String redact(String uri) {
    return CREDENTIALS.matcher(uri).replaceFirst("***@");
  }

  /** Returns each of {@code uris} redacted as {@link #redact(String)} does. */
  static List<String> redactAll(List<String> uris) {
    return uris.stream().map(ReadThroughProperties::redact).toList();
  }

  @Override
  public String toString() {
    return "ReadThroughProperties{enabled="
        + enabled
        + ", redisUri="
        + (redisUri == null ? null : redact(redisUri))
        + ", clusterNodes="
        + redactAll(clusterNodes)
        + ", sentinelMaster="
        + sentinelMaster
        + ", sentinelNodes="
        + redactAll(sentinelNodes)
        + ", redissonYaml="
        + redissonYaml
        + ", keyPrefix="
        + keyPrefix
        + ", operationTimeout="
        + operationTimeout
        + "}";
  }
}
