package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.internal.redis.RedissonSettings;
import io.netty.util.HashedWheelTimer;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.ObjectParams;
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
 * and retries derived from the operation timeout, whatever the file says, and reads and
 * subscriptions on masters; and the timeout each command of the engine carries. The client's own
 * timeouts are floored at 1 s, for a new connection's hand-shake; the commands' are not.
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

  private static void assertDerived(BaseConfig<?> servers, int expectedTimeoutMillis) {
    assertThat(servers.getTimeout()).as("timeout").isEqualTo(expectedTimeoutMillis);
    assertThat(servers.getConnectTimeout()).as("connectTimeout").isEqualTo(expectedTimeoutMillis);
    assertThat(servers.getSubscriptionTimeout())
        .as("subscriptionTimeout")
        .isEqualTo(expectedTimeoutMillis);
    assertThat(servers.getRetryAttempts()).as("retryAttempts").isZero();
    assertThat(servers.getRetryDelay())
        .as("retryDelay, which only sets the timer's tick")
        .isInstanceOfSatisfying(
            ConstantDelay.class,
            delay -> assertThat(delay.calcDelay(0)).isEqualTo(Duration.ofMillis(20)));
    assertThat(servers.getPingConnectionInterval()).as("pingConnectionInterval").isEqualTo(500);
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
    assertDerived(ConfigSupport.getConfig(redisson), 1000);
  }

  @Test
  void operationTimeoutAboveTheFloor_isRedissonsTimeout() throws Exception {
    Config redisson =
        fromYaml(
            "singleServerConfig:\n  address: \"redis://127.0.0.1:6379\"\n", Duration.ofSeconds(3));

    assertDerived(ConfigSupport.getConfig(redisson), 3000);
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
    assertDerived(servers, 1000);
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
    assertDerived(servers, 1000);
    assertReadsFromMasters(servers);
  }

  @Test
  void clusterYaml_timeoutsDerived_readsFromMasters_topologyScannedEverySecond() throws Exception {
    Config redisson =
        fromYaml(
            "clusterServersConfig:\n"
                + "  nodeAddresses:\n  - \"redis://127.0.0.1:7000\"\n  - \"redis://127.0.0.1:7001\"\n"
                + (SLOW_AND_RETRYING + REPLICA_READS).replace("    ", "  "),
            Duration.ofMillis(200));

    ClusterServersConfig servers = redisson.useClusterServers();
    assertDerived(servers, 1000);
    assertReadsFromMasters(servers);
    assertThat(servers.getScanInterval()).as("scanInterval, 5000 by default").isEqualTo(1000);
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
    assertDerived(servers, 1000);
    assertReadsFromMasters(servers);
  }

  /**
   * Redisson's timer fires a command's timeout on its first tick at or past it, and Redisson picks
   * the tick from {@code min(retryDelay(0), timeout)} when it creates the client ({@code
   * ServiceManager.initTimer}): 100 ms for a 200 ms or a 1 s timeout. The engine's settings make it
   * 10 ms, whatever the operation timeout, so that a 200 ms bound fires by about 210 ms.
   */
  @ParameterizedTest(name = "operationTimeout {0} ms")
  @ValueSource(longs = {1, 50, 200, 1000, 3000, 60_000})
  void theClientsTimer_ticksEvery10Millis(long operationTimeoutMillis) throws Exception {
    Config redisson =
        RedissonSettings.of(
            ReadThroughConfig.builder()
                .redisUri("redis://127.0.0.1:6379")
                .operationTimeout(Duration.ofMillis(operationTimeoutMillis))
                .build());
    redisson.setLazyInitialization(true); // no connection: only the timer is looked at
    RedissonClient client = Redisson.create(redisson);
    try {
      HashedWheelTimer timer = ((Redisson) client).getServiceManager().getTimer();
      Field tick = HashedWheelTimer.class.getDeclaredField("tickDuration");
      tick.setAccessible(true);
      assertThat(Duration.ofNanos((long) tick.get(timer))).isEqualTo(Duration.ofMillis(10));
    } finally {
      client.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }

  /** The floor is the hand-shake's only: each command of the engine carries the timeout itself. */
  @ParameterizedTest(name = "operationTimeout {0} ms")
  @ValueSource(longs = {1, 50, 200, 999, 1000, 3000})
  void engineCommands_carryTheOperationTimeoutUnfloored_andNoRetry(long operationTimeoutMillis) {
    ObjectParams options =
        RedissonSettings.commandOptions(Duration.ofMillis(operationTimeoutMillis));

    assertThat(options.getTimeout()).isEqualTo(operationTimeoutMillis);
    assertThat(options.getRetryAttempts()).isZero();
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
    assertDerived(server, 1000);
    assertThat(server.getConnectionPoolSize())
        .as("pool, under 10: connections shared")
        .isEqualTo(8);
    assertThat(server.getConnectionMinimumIdleSize()).as("all kept open").isEqualTo(8);
    assertThat(server.getAddress()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(server.getDatabase()).isEqualTo(2);
    assertThat(redisson.getUsername()).isEqualTo("reader");
    assertThat(redisson.getPassword()).isEqualTo("s3cret");
  }
}
