package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.internal.redis.RedissonSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.config.BaseConfig;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ConfigSupport;
import org.redisson.config.ConstantDelay;
import org.redisson.config.MasterSlaveServersConfig;
import org.redisson.config.ReadMode;
import org.redisson.config.ReplicatedServersConfig;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.SingleServerConfig;
import org.redisson.config.SubscriptionMode;

/**
 * The Redisson configuration the engine connects with, in each mode a YAML file can name: timeouts
 * and retries derived from the operation timeout (with Redisson's response timeout floored at 1 s),
 * whatever the file says, and reads and subscriptions on masters.
 */
class RedissonSettingsTest {

  /** Settings a file may well hold, which the engine must replace. */
  private static final String SLOW_AND_RETRYING =
      "    timeout: 9000\n"
          + "    connectTimeout: 9000\n"
          + "    subscriptionTimeout: 9000\n"
          + "    retryAttempts: 7\n"
          + "    pingConnectionInterval: 60000\n";

  private static final String REPLICA_READS =
      "    readMode: \"SLAVE\"\n" + "    subscriptionMode: \"SLAVE\"\n";

  @TempDir Path dir;

  private Config fromYaml(String yaml, Duration operationTimeout) throws Exception {
    Path file = dir.resolve("redisson.yaml");
    Files.writeString(file, yaml);
    return RedissonSettings.of(
        ReadThroughConfig.builder().redissonYaml(file).operationTimeout(operationTimeout).build());
  }

  private static void assertDerived(
      BaseConfig<?> servers, int expectedTimeoutMillis, long operationTimeoutMillis) {
    assertThat(servers.getTimeout()).as("timeout").isEqualTo(expectedTimeoutMillis);
    assertThat(servers.getConnectTimeout()).as("connectTimeout").isEqualTo(expectedTimeoutMillis);
    assertThat(servers.getSubscriptionTimeout())
        .as("subscriptionTimeout")
        .isEqualTo(expectedTimeoutMillis);
    assertThat(servers.getRetryAttempts()).as("retryAttempts").isZero();
    assertThat(servers.getRetryDelay())
        .as("retryDelay")
        .isInstanceOfSatisfying(
            ConstantDelay.class,
            delay ->
                assertThat(delay.calcDelay(1))
                    .isEqualTo(Duration.ofMillis(operationTimeoutMillis)));
    assertThat(servers.getPingConnectionInterval()).as("pingConnectionInterval").isEqualTo(1000);
  }

  private static void assertReadsFromMasters(BaseMasterSlaveServersConfig<?> servers) {
    assertThat(servers.getReadMode()).isEqualTo(ReadMode.MASTER);
    assertThat(servers.getSubscriptionMode()).isEqualTo(SubscriptionMode.MASTER);
  }

  @Test
  void singleServerYaml_timeoutsAndRetriesDerived() throws Exception {
    Config redisson =
        fromYaml(
            "singleServerConfig:\n  address: \"redis://127.0.0.1:6379\"\n"
                + SLOW_AND_RETRYING.replace("    ", "  "),
            Duration.ofMillis(200));

    assertThat(ConfigSupport.getConfig(redisson)).isInstanceOf(SingleServerConfig.class);
    assertDerived(ConfigSupport.getConfig(redisson), 1000, 200);
  }

  @Test
  void operationTimeoutAboveTheFloor_isRedissonsTimeout() throws Exception {
    Config redisson =
        fromYaml(
            "singleServerConfig:\n  address: \"redis://127.0.0.1:6379\"\n", Duration.ofSeconds(3));

    assertDerived(ConfigSupport.getConfig(redisson), 3000, 3000);
  }

  @Test
  void masterSlaveYaml_timeoutsDerived_readsFromMaster() throws Exception {
    Config redisson =
        fromYaml(
            "masterSlaveServersConfig:\n"
                + "  masterAddress: \"redis://127.0.0.1:6379\"\n"
                + "  slaveAddresses:\n  - \"redis://127.0.0.1:6380\"\n"
                + (SLOW_AND_RETRYING + REPLICA_READS).replace("    ", "  "),
            Duration.ofMillis(200));

    MasterSlaveServersConfig servers = redisson.useMasterSlaveServers();
    assertDerived(servers, 1000, 200);
    assertReadsFromMasters(servers);
  }

  @Test
  void sentinelYaml_timeoutsDerived_readsFromMaster() throws Exception {
    Config redisson =
        fromYaml(
            "sentinelServersConfig:\n"
                + "  masterName: \"mymaster\"\n"
                + "  sentinelAddresses:\n  - \"redis://127.0.0.1:26379\"\n"
                + (SLOW_AND_RETRYING + REPLICA_READS).replace("    ", "  "),
            Duration.ofMillis(200));

    SentinelServersConfig servers = redisson.useSentinelServers();
    assertDerived(servers, 1000, 200);
    assertReadsFromMasters(servers);
  }

  @Test
  void clusterYaml_timeoutsDerived_readsFromMasters() throws Exception {
    Config redisson =
        fromYaml(
            "clusterServersConfig:\n"
                + "  nodeAddresses:\n  - \"redis://127.0.0.1:7000\"\n  - \"redis://127.0.0.1:7001\"\n"
                + (SLOW_AND_RETRYING + REPLICA_READS).replace("    ", "  "),
            Duration.ofMillis(200));

    ClusterServersConfig servers = redisson.useClusterServers();
    assertDerived(servers, 1000, 200);
    assertReadsFromMasters(servers);
  }

  @Test
  void replicatedYaml_timeoutsDerived_readsFromMaster() throws Exception {
    Config redisson =
        fromYaml(
            "replicatedServersConfig:\n"
                + "  nodeAddresses:\n  - \"redis://127.0.0.1:6379\"\n  - \"redis://127.0.0.1:6380\"\n"
                + (SLOW_AND_RETRYING + REPLICA_READS).replace("    ", "  "),
            Duration.ofMillis(200));

    ReplicatedServersConfig servers = redisson.useReplicatedServers();
    assertDerived(servers, 1000, 200);
    assertReadsFromMasters(servers);
  }

  @Test
  void redisUri_timeoutsDerived_credentialsOnConfig() {
    Config redisson =
        RedissonSettings.of(
            ReadThroughConfig.builder()
                .redisUri("redis://reader:s3cret@127.0.0.1:6379/2")
                .operationTimeout(Duration.ofMillis(50))
                .build());

    SingleServerConfig server = redisson.useSingleServer();
    assertDerived(server, 1000, 50);
    assertThat(server.getAddress()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(server.getDatabase()).isEqualTo(2);
    assertThat(redisson.getUsername()).isEqualTo("reader");
    assertThat(redisson.getPassword()).isEqualTo("s3cret");
  }
}
