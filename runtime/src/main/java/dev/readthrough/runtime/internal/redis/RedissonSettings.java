package dev.readthrough.runtime.internal.redis;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.redisson.api.options.ObjectParams;
import org.redisson.config.BaseConfig;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ConfigSupport;
import org.redisson.config.ConstantDelay;
import org.redisson.config.DelayStrategy;
import org.redisson.config.MasterSlaveServersConfig;
import org.redisson.config.ReadMode;
import org.redisson.config.ReplicatedServersConfig;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.SingleServerConfig;
import org.redisson.config.SubscriptionMode;
import org.redisson.misc.RedisURI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link ReadThroughConfig} into the Redisson {@link Config} the engine connects with,
 * whatever mode it names: checked completely before any connection is tried, so that a bad
 * configuration fails {@code start} while only an unreachable Redis is an outage.
 *
 * <p>Whatever the source (a URI, a YAML file; cluster and sentinel node lists in 0.2), the
 * resulting servers are put through {@link #tune}: timeouts and retries derived from the operation
 * timeout, a 10 ms timer tick, and reads and subscriptions on masters. The timeout each command of
 * the engine carries, on any client, is {@link #commandOptions}.
 */
public final class RedissonSettings {

  /** The engine's logger, where users look for everything the engine says. */
  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  /**
   * Redisson's own timeouts, for connecting and for the commands it sends on a new connection,
   * never go below this, whatever the operation timeout. Redisson bounds a new connection's
   * hand-shake (AUTH, HELLO, SELECT, PING in {@code BaseConnectionHandler.channelActive}) by the
   * client's response {@code timeout}, which it hands each node's client as its command timeout
   * ({@code MasterSlaveConnectionManager.createClient}). A cold JVM's first connection failed so
   * under a 200 ms {@code timeout} in one start of two on a busy 2-core machine, and under 100, 50
   * and 20 ms in every start. The engine's own commands do not wait for this floor: each carries
   * the operation timeout, see {@link #commandOptions}.
   */
  public static final int TIMEOUT_FLOOR_MILLIS = 1000;

  /**
   * The retry delay that makes Redisson's timer tick every 10 ms. Redisson creates its timer with a
   * tick derived from {@code m = min(retryDelay.calcDelay(0), timeout)} ({@code
   * ServiceManager.initTimer}): 10 ms when {@code m <= 0}; {@code max(10, (m % 100) / 2)} when
   * {@code m} is not a multiple of 100; 50 ms when it is 100, else 100 ms. The timer fires a
   * timeout on its first tick at or past it, so a 200 ms command timeout with the retry delay at
   * the timeout (a 100 ms tick) would fire up to 100 ms late. With no retries the delay is used for
   * nothing else.
   */
  public static final Duration TICK_RETRY_DELAY = Duration.ofMillis(20);

  /** Redisson's timer tick with {@link #TICK_RETRY_DELAY}: how late a timeout may fire. */
  public static final Duration TIMER_TICK = Duration.ofMillis(10);

  /**
   * The connections of the client made for a {@code redisUri}, all kept open. Under 10, Redisson
   * hands a connection back right after writing a command to it instead of after the answer ({@code
   * RedisExecutor.sendCommand} and {@code releaseConnection}), so commands share the connections
   * and none waits for a free one: Redisson times a command in phases (a free connection, the
   * write, the answer), and only the answer is then waited for. Kept open, none is connected, with
   * its hand-shake, inside a call.
   */
  public static final int POOL_SIZE = 8;

  /**
   * How often open connections are pinged, so that a dead server is noticed without a call. Below
   * the command timeout's floor on purpose: Redisson's ping handler checks each PING after one
   * interval and, if it is still unanswered, closes the connection quietly; a PING that failed by
   * its own timeout first is logged at ERROR with a stack trace. With the interval below the
   * timeout, a frozen Redis is always found by the quiet check.
   */
  public static final int PING_INTERVAL_MILLIS = 500;

  private static final String EXPECTED_MODES =
      "expected one of singleServerConfig, masterSlaveServersConfig, "
          + "sentinelServersConfig, clusterServersConfig or replicatedServersConfig";

  private RedissonSettings() {}

  /**
   * Returns the Redisson configuration for {@code config}, which must name a URI or a YAML file
   * (not a client of the application's own).
   *
   * @throws IllegalArgumentException if the YAML file cannot be read or is not a valid Redisson
   *     configuration; the message names the file and the problem, never a credential
   */
  public static Config of(ReadThroughConfig config) {
    Path yaml = config.redissonYaml();
    String master = config.sentinelMaster();
    Config redisson;
    String source;
    if (yaml != null) {
      redisson = fromYaml(yaml);
      source = "redissonYaml " + yaml;
    } else if (!config.clusterNodes().isEmpty()) {
      redisson = fromCluster(config.clusterNodes());
      source = "redisCluster";
    } else if (master != null) {
      redisson = fromSentinel(master, config.sentinelNodes());
      source = "redisSentinel";
    } else {
      redisson = fromUri(Objects.requireNonNull(config.redisUri(), "redisUri"));
      source = "redisUri";
    }
    tune(redisson, config.operationTimeout(), source);
    return redisson;
  }

  /** The nodes' credentials on Config, as for a single server; the builder checked they agree. */
  private static Config withCredentials(RedisAddress first) {
    Config redisson = new Config();
    redisson.setUsername(first.username());
    redisson.setPassword(first.password());
    return redisson;
  }

  private static Config fromCluster(List<String> nodes) {
    Config redisson = withCredentials(RedisAddress.parse(nodes.get(0), "redisCluster"));
    ClusterServersConfig cluster = redisson.useClusterServers();
    for (String node : nodes) {
      cluster.addNodeAddress(RedisAddress.parse(node, "redisCluster").address());
    }
    cluster
        .setMasterConnectionMinimumIdleSize(POOL_SIZE)
        .setMasterConnectionPoolSize(POOL_SIZE)
        .setSlaveConnectionMinimumIdleSize(1);
    return redisson;
  }

  private static Config fromSentinel(String master, List<String> sentinels) {
    RedisAddress first = RedisAddress.parse(sentinels.get(0), "redisSentinel");
    Config redisson = withCredentials(first);
    SentinelServersConfig sentinel = redisson.useSentinelServers().setMasterName(master);
    for (String node : sentinels) {
      sentinel.addSentinelAddress(RedisAddress.parse(node, "redisSentinel").address());
    }
    sentinel
        .setSentinelUsername(first.username())
        .setSentinelPassword(first.password())
        .setDatabase(first.database())
        .setMasterConnectionMinimumIdleSize(POOL_SIZE)
        .setMasterConnectionPoolSize(POOL_SIZE)
        .setSlaveConnectionMinimumIdleSize(1);
    return redisson;
  }

  private static Config fromUri(String uri) {
    RedisAddress address = RedisAddress.parse(uri);
    Config redisson = new Config();
    // credentials on Config, as Redisson 4 wants them: on the server settings they are
    // deprecated, and Redisson warns each time it copies them (three times per connect)
    redisson.setUsername(address.username());
    redisson.setPassword(address.password());
    redisson
        .useSingleServer()
        .setAddress(address.address())
        .setDatabase(address.database())
        .setConnectionMinimumIdleSize(POOL_SIZE)
        .setConnectionPoolSize(POOL_SIZE);
    return redisson;
  }

  private static Config fromYaml(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw YamlProblems.invalid(file, "cannot read it: " + YamlProblems.ioProblem(e));
    }
    if (text.isBlank()) {
      throw YamlProblems.invalid(file, "it is empty; " + EXPECTED_MODES);
    }
    Config redisson;
    try {
      redisson = Config.fromYAML(text);
    } catch (RuntimeException e) {
      throw YamlProblems.invalid(file, YamlProblems.yamlProblem(e));
    }
    if (redisson == null) {
      throw YamlProblems.invalid(file, "it holds no settings");
    }
    BaseConfig<?> servers;
    try {
      servers =
          ConfigSupport.getConfig(redisson); // also checks pool sizes, as Redisson.create does
    } catch (IllegalArgumentException e) {
      String problem =
          "server(s) address(es) not defined!".equals(e.getMessage())
              ? "it names no servers; " + EXPECTED_MODES
              : String.valueOf(e.getMessage());
      throw YamlProblems.invalid(file, problem);
    }
    List<String> modes = modes(redisson, servers);
    if (modes.size() > 1) {
      throw YamlProblems.invalid(
          file, "it names more than one server mode, keep one of " + String.join(", ", modes));
    }
    List<String> problems = addressProblems(servers);
    if (!problems.isEmpty()) {
      throw YamlProblems.invalid(file, String.join("; ", problems));
    }
    return redisson;
  }

  /**
   * The server modes the file names, as far as Redisson lets them be seen: it silently picks one
   * when several are given. A replicatedServersConfig beside another mode cannot be seen.
   */
  private static List<String> modes(Config redisson, BaseConfig<?> picked) {
    List<String> modes = new ArrayList<>();
    if (picked instanceof MasterSlaveServersConfig) {
      modes.add("masterSlaveServersConfig");
    }
    if (redisson.isSingleConfig()) {
      modes.add("singleServerConfig");
    }
    if (redisson.isSentinelConfig()) {
      modes.add("sentinelServersConfig");
    }
    if (redisson.isClusterConfig()) {
      modes.add("clusterServersConfig");
    }
    return modes;
  }

  /** Redisson checks addresses only once it connects, and then as an outage; check them now. */
  private static List<String> addressProblems(BaseConfig<?> servers) {
    List<String> problems = new ArrayList<>();
    if (servers instanceof SingleServerConfig single) {
      required(problems, "singleServerConfig.address", single.getAddress());
    } else if (servers instanceof MasterSlaveServersConfig masterSlave) {
      required(problems, "masterSlaveServersConfig.masterAddress", masterSlave.getMasterAddress());
      each(
          problems,
          "masterSlaveServersConfig.slaveAddresses",
          masterSlave.getSlaveAddresses(),
          false);
    } else if (servers instanceof SentinelServersConfig sentinel) {
      if (sentinel.getMasterName() == null || sentinel.getMasterName().isBlank()) {
        problems.add("sentinelServersConfig.masterName is missing");
      }
      each(
          problems,
          "sentinelServersConfig.sentinelAddresses",
          sentinel.getSentinelAddresses(),
          true);
    } else if (servers instanceof ClusterServersConfig cluster) {
      each(problems, "clusterServersConfig.nodeAddresses", cluster.getNodeAddresses(), true);
    } else if (servers instanceof ReplicatedServersConfig replicated) {
      each(problems, "replicatedServersConfig.nodeAddresses", replicated.getNodeAddresses(), true);
    }
    return problems;
  }

  private static void each(
      List<String> problems,
      String name,
      @Nullable Collection<String> addresses,
      boolean required) {
    if (addresses == null || addresses.isEmpty()) {
      if (required) {
        problems.add(name + " is missing or empty");
      }
      return;
    }
    for (String address : addresses) {
      required(problems, name, address);
    }
  }

  private static void required(List<String> problems, String name, @Nullable String address) {
    if (address == null || address.isBlank()) {
      problems.add(name + " is missing");
      return;
    }
    String shown = name + " \"" + RedisAddress.redact(address) + "\" is not a Redis address: ";
    RedisURI uri;
    try {
      uri = new RedisURI(address);
    } catch (IllegalArgumentException e) {
      problems.add(shown + e.getMessage()); // RedisURI's own messages never quote the address
      return;
    } catch (RuntimeException e) {
      problems.add(shown + "expected redis://host:port or rediss://host:port");
      return;
    }
    if (!uri.isUDS() && uri.getPort() <= 0) {
      problems.add(shown + "it has no port");
    }
  }

  /**
   * Derives Redisson's timeouts and retries from the operation timeout, in every mode, and points
   * reads and subscriptions at masters: Redisson's defaults block a caller 6 to 20 s when Redis is
   * down, and read from replicas, so that a read right after a write could see the old value.
   */
  public static void tune(Config redisson, Duration operationTimeout, String source) {
    BaseConfig<?> servers = ConfigSupport.getConfig(redisson);
    int floored = Math.max(millis(operationTimeout), TIMEOUT_FLOOR_MILLIS);
    servers
        .setTimeout(floored)
        .setConnectTimeout(floored)
        .setSubscriptionTimeout(floored)
        .setRetryAttempts(0)
        .setRetryDelay(new ConstantDelay(TICK_RETRY_DELAY))
        .setPingConnectionInterval(PING_INTERVAL_MILLIS);
    if (servers instanceof BaseMasterSlaveServersConfig<?> replicated) {
      if (replicated.getReadMode() != ReadMode.MASTER
          || replicated.getSubscriptionMode() != SubscriptionMode.MASTER) {
        LOG.info(
            "{}: reads and subscriptions go to masters, so that a read sees the write before it"
                + " (readMode was {}, subscriptionMode {})",
            source,
            replicated.getReadMode(),
            replicated.getSubscriptionMode());
      }
      replicated.setReadMode(ReadMode.MASTER).setSubscriptionMode(SubscriptionMode.MASTER);
    }
    if (servers instanceof ClusterServersConfig cluster) {
      // Redisson finds a promoted replica by this scan (5 s by default); until then the dead
      // master's shard stays uncached
      cluster.setScanInterval(CLUSTER_SCAN_MILLIS);
    }
  }

  /** How often the engine's client reads a Cluster's topology ({@code scanInterval}). */
  static final int CLUSTER_SCAN_MILLIS = 1000;

  /**
   * Returns what each command the engine sends carries instead of the client's own settings: the
   * operation timeout as its response timeout, and no retry. Redisson's timer then fails the
   * command by itself (a {@code RedisTimeoutException}) once that time passed without an answer,
   * whatever the client's {@code timeout} and {@code retryAttempts}: the engine waits for the
   * command's future without a timeout of its own, and a client the application hands in, whose
   * settings the engine cannot change, is bounded the same way. Redisson applies these in {@code
   * CommandAsyncService(CommandAsyncExecutor, ObjectParams)}, which {@code
   * CommandAsyncExecutor.copy(ObjectParams)} and the {@code getBuckets(OptionalOptions)} and {@code
   * getKeys(KeysOptions)} of a client call.
   */
  public static ObjectParams commandOptions(Duration operationTimeout) {
    return new CommandOptions(millis(operationTimeout));
  }

  private static int millis(Duration timeout) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  /** A response timeout and no retry; the client's own retry delay and read mode. */
  private static final class CommandOptions implements ObjectParams {
    private final int timeoutMillis;

    CommandOptions(int timeoutMillis) {
      this.timeoutMillis = timeoutMillis;
    }

    @Override
    public int getTimeout() {
      return timeoutMillis;
    }

    @Override
    public int getRetryAttempts() {
      return 0;
    }

    @Override
    public @Nullable DelayStrategy getRetryDelay() {
      return null; // unused without retries; null keeps the client's
    }

    @Override
    public @Nullable ReadMode getReadMode() {
      return null; // the client's, as its own commands use
    }
  }
}
