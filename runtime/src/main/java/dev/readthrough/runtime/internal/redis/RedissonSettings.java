package dev.readthrough.runtime.internal.redis;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
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
import org.redisson.misc.RedisURI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.constructor.ConstructorException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns a {@link ReadThroughConfig} into the Redisson {@link Config} the engine connects with,
 * whatever mode it names: checked completely before any connection is tried, so that a bad
 * configuration fails {@code start} while only an unreachable Redis is an outage.
 *
 * <p>Whatever the source (a URI, a YAML file; cluster and sentinel node lists in 0.2), the
 * resulting servers are put through {@link #tune}: timeouts and retries derived from the operation
 * timeout, and reads and subscriptions on masters.
 */
public final class RedissonSettings {

  /** The engine's logger, where users look for everything the engine says. */
  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  /**
   * Redisson's response and connect timeouts never go below this, whatever the operation timeout.
   * Callers never wait longer than the operation timeout (the store bounds each wait itself); the
   * floor only keeps a cold JVM's first connection from being refused over a slow PING.
   */
  public static final int TIMEOUT_FLOOR_MILLIS = 1000;

  /** How often idle connections are pinged, so that a dead server is noticed without a call. */
  public static final int PING_INTERVAL_MILLIS = 1000;

  /**
   * Snakeyaml names a bean property it could not set as {@code Cannot create property=name ...}.
   */
  private static final Pattern PROPERTY = Pattern.compile("Cannot create property=([\\w.$-]+)");

  /** Property names whose values are never quoted back in a message, even as a parse problem. */
  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|username|user|credential|secret|token).*");

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
    Config redisson =
        yaml != null
            ? fromYaml(yaml)
            : fromUri(Objects.requireNonNull(config.redisUri(), "redisUri"));
    tune(redisson, config.operationTimeout(), yaml != null ? "redissonYaml " + yaml : "redisUri");
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
        .setConnectionMinimumIdleSize(2)
        .setConnectionPoolSize(64);
    return redisson;
  }

  private static Config fromYaml(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw invalid(file, "cannot read it: " + ioProblem(e));
    }
    if (text.isBlank()) {
      throw invalid(file, "it is empty; " + EXPECTED_MODES);
    }
    Config redisson;
    try {
      redisson = Config.fromYAML(text);
    } catch (RuntimeException e) {
      throw invalid(file, yamlProblem(e));
    }
    if (redisson == null) {
      throw invalid(file, "it holds no settings");
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
      throw invalid(file, problem);
    }
    List<String> modes = modes(redisson, servers);
    if (modes.size() > 1) {
      throw invalid(
          file, "it names more than one server mode, keep one of " + String.join(", ", modes));
    }
    List<String> problems = addressProblems(servers);
    if (!problems.isEmpty()) {
      throw invalid(file, String.join("; ", problems));
    }
    return redisson;
  }

  private static IllegalArgumentException invalid(Path file, String problem) {
    // no cause: snakeyaml's and Redisson's messages quote the file's lines, passwords included
    return new IllegalArgumentException("invalid redissonYaml " + file + ": " + problem);
  }

  private static String ioProblem(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /**
   * Says what is wrong in a file snakeyaml rejected: the property path, line and column, and the
   * parser's own words. Snakeyaml's message is not used: it quotes the offending lines, which may
   * hold a password, and ${VAR} references already resolved.
   */
  private static String yamlProblem(RuntimeException e) {
    List<String> path = new ArrayList<>();
    MarkedYAMLException innermost = null;
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof MarkedYAMLException marked) {
        innermost = marked;
        Matcher property = PROPERTY.matcher(String.valueOf(marked.getContext()));
        boolean underSecret =
            !path.isEmpty() && SECRET.matcher(path.get(path.size() - 1)).matches();
        if (property.find() && !underSecret) { // below a password, a "property" is the value itself
          path.add(property.group(1));
        }
      }
    }
    if (innermost == null) {
      return "not a Redisson configuration (" + e.getClass().getSimpleName() + ")";
    }
    String at =
        at(
            innermost.getProblemMark() != null
                ? innermost.getProblemMark()
                : innermost.getContextMark());
    if (path.isEmpty()) {
      if (innermost instanceof ConstructorException) { // valid YAML, but a list or a text
        return "not a Redisson configuration" + at + ": expected a mapping of settings";
      }
      String context = innermost.getContext();
      return "not valid YAML"
          + at
          + ": "
          + (context != null ? context + ", " : "")
          + innermost.getProblem();
    }
    String name = String.join(".", path);
    if (innermost.getCause() instanceof NullPointerException) {
      return "unknown property " + name + at;
    }
    String problem =
        SECRET.matcher(path.get(path.size() - 1)).matches()
            ? ""
            : ": " + RedisAddress.redact(String.valueOf(innermost.getProblem()));
    return "invalid value for " + name + at + problem;
  }

  private static String at(@Nullable Mark mark) {
    return mark == null
        ? ""
        : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
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
    int timeoutMillis = (int) Math.max(1, operationTimeout.toMillis());
    int floored = Math.max(timeoutMillis, TIMEOUT_FLOOR_MILLIS);
    servers
        .setTimeout(floored)
        .setConnectTimeout(floored)
        .setSubscriptionTimeout(floored)
        .setRetryAttempts(0)
        .setRetryDelay(new ConstantDelay(Duration.ofMillis(timeoutMillis)))
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
  }
}
