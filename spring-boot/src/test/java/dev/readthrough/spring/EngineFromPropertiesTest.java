package dev.readthrough.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.runtime.ReadThroughConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The properties as Spring Boot binds them, turned into the engine's configuration without starting
 * an engine: for the modes that need servers these tests do not start (Cluster, Sentinel).
 */
class EngineFromPropertiesTest {

  private static final ObjectProvider<RedissonClient> NO_CLIENT =
      new DefaultListableBeanFactory().getBeanProvider(RedissonClient.class);

  @Test
  void clusterNodes_giveAClusterConfiguration() {
    ReadThroughConfig config =
        config(Map.of("readthrough.cluster-nodes", "redis://10.0.0.1:7000,redis://10.0.0.2:7000"));

    assertThat(config.clusterNodes())
        .containsExactly("redis://10.0.0.1:7000", "redis://10.0.0.2:7000");
    assertThat(config.redisUri()).isNull();
  }

  @Test
  void sentinelMasterAndNodes_giveASentinelConfiguration() {
    ReadThroughConfig config =
        config(
            Map.of(
                "readthrough.sentinel-master", "mymaster",
                "readthrough.sentinel-nodes[0]", "redis://10.0.0.1:26379",
                "readthrough.sentinel-nodes[1]", "redis://10.0.0.2:26379"));

    assertThat(config.sentinelMaster()).isEqualTo("mymaster");
    assertThat(config.sentinelNodes())
        .containsExactly("redis://10.0.0.1:26379", "redis://10.0.0.2:26379");
  }

  @Test
  void sentinelMasterWithoutNodes_isRejected_namingTheMissingProperty() {
    assertThatThrownBy(() -> config(Map.of("readthrough.sentinel-master", "mymaster")))
        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
        .hasMessageContaining("readthrough.sentinel-nodes");
  }

  @Test
  void sentinelNodesWithoutMaster_isRejected_namingTheMissingProperty() {
    assertThatThrownBy(() -> config(Map.of("readthrough.sentinel-nodes", "redis://10.0.0.1:26379")))
        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
        .hasMessageContaining("readthrough.sentinel-master");
  }

  @Test
  void rejectedClusterNode_namesThePropertyAndHidesThePassword() {
    assertThatThrownBy(
            () -> config(Map.of("readthrough.cluster-nodes", "redis://:s3cret@10.0.0.1:7000/2")))
        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
        .hasMessageContaining("readthrough.cluster-nodes")
        .hasMessageContaining("database")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void redissonYaml_givesTheFile(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("redisson.yaml"),
            "singleServerConfig:\n  address: redis://10.0.0.1:6379\n");

    assertThat(config(Map.of("readthrough.redisson-yaml", file.toString())).redissonYaml())
        .isEqualTo(file);
  }

  @Test
  void missingRedissonYaml_namesTheProperty(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                config(Map.of("readthrough.redisson-yaml", dir.resolve("absent.yaml").toString())))
        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
        .hasMessageContaining("readthrough.redisson-yaml")
        .hasMessageContaining("no such file");
  }

  @Test
  void yamlAndSentinel_areRejectedTogether_namingBoth(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("redisson.yaml"),
            "singleServerConfig:\n  address: redis://10.0.0.1:6379\n");

    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "readthrough.redisson-yaml", file.toString(),
                        "readthrough.sentinel-master", "mymaster",
                        "readthrough.sentinel-nodes", "redis://10.0.0.1:26379")))
        .hasMessageContaining("readthrough.redisson-yaml")
        .hasMessageContaining("readthrough.sentinel-nodes");
  }

  @Test
  void toString_hidesCredentials() {
    ReadThroughProperties properties =
        bind(
            Map.of(
                "readthrough.redis-uri", "redis://user:s3cret@10.0.0.1:6379",
                "readthrough.cluster-nodes", "redis://:s3cret@10.0.0.1:7000"));

    assertThat(properties.toString())
        .contains("redis://***@10.0.0.1:6379")
        .contains("redis://***@10.0.0.1:7000")
        .doesNotContain("s3cret");
  }

  private static ReadThroughConfig config(Map<String, String> properties) {
    return EngineFromProperties.config(bind(properties), NO_CLIENT, List.of());
  }

  private static ReadThroughProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("readthrough", ReadThroughProperties.class);
  }
}
