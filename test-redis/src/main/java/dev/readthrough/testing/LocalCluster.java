package dev.readthrough.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * A real Redis Cluster of this JVM's own: redis-server processes ({@link RedisProcess}) on free
 * loopback ports, by default 3 masters with one replica each, the 16,384 slots split evenly over
 * the masters. Any node can be stopped, frozen and restarted through {@link #node(int)}; {@link
 * #close()} stops them all.
 *
 * <p>The nodes run with {@code cluster-node-timeout} {@value #NODE_TIMEOUT_MILLIS} ms, so that a
 * dead master's replica is promoted a few seconds after, and {@code cluster-require-full-coverage
 * no}, so that the other masters keep answering while one has no master for its slots. A node keeps
 * its identity and slots across {@link RedisProcess#restart()} (its {@code nodes.conf} stays), not
 * its data.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.start()) {
 *   ReadThroughConfig.builder().redisCluster(cluster.uris().toArray(String[]::new))...
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {

  /** How long a node may be silent before the others take it for failed. */
  public static final int NODE_TIMEOUT_MILLIS = 2000;

  /** How many hash slots Redis Cluster has. */
  public static final int SLOTS = 16384;

  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisProcess> nodes;
  private final int masters;

  private LocalCluster(List<RedisProcess> nodes, int masters) {
    this.nodes = List.copyOf(nodes);
    this.masters = masters;
  }

  /** Starts 3 masters with one replica each; see {@link #start(int, int)}. */
  public static LocalCluster start() {
    return start(3, 1);
  }

  /**
   * Starts {@code masters} masters with {@code replicasPerMaster} replicas each, and returns once
   * every node reports the cluster {@code ok} and every replica's link to its master is up.
   *
   * @throws IllegalArgumentException if {@code masters} is not 1 to 16 or {@code replicasPerMaster}
   *     not 0 to 4
   * @throws IllegalStateException if a node does not start, or the cluster does not form within 30
   *     seconds (every node started is stopped again)
   */
  public static LocalCluster start(int masters, int replicasPerMaster) {
    if (masters < 1 || masters > 16) {
      throw new IllegalArgumentException("masters must be 1 to 16, got " + masters);
    }
    if (replicasPerMaster < 0 || replicasPerMaster > 4) {
      throw new IllegalArgumentException(
          "replicasPerMaster must be 0 to 4, got " + replicasPerMaster);
    }
    List<RedisProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
        nodes.add(
            RedisProcess.start(
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes-" + UUID.randomUUID() + ".conf",
                "--cluster-node-timeout",
                Integer.toString(NODE_TIMEOUT_MILLIS),
                "--cluster-require-full-coverage",
                "no"));
      }
      LocalCluster cluster = new LocalCluster(nodes, masters);
      cluster.form(replicasPerMaster);
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisProcess::stop);
      throw e;
    }
  }

  private void form(int replicasPerMaster) {
    for (int m = 0; m < masters; m++) {
      int first = m * SLOTS / masters;
      int last = (m + 1) * SLOTS / masters - 1;
      List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = first; slot <= last; slot++) {
        command.add(Integer.toString(slot));
      }
      expectOk(nodes.get(m), command.toArray(String[]::new));
    }
    RedisProcess seed = nodes.get(0);
    for (RedisProcess node : nodes.subList(1, nodes.size())) {
      expectOk(node, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(seed.port()));
    }
    await(
        "every node to know the other " + (nodes.size() - 1),
        () -> nodes.stream().allMatch(node -> knownNodes(node) == nodes.size()));
    for (int r = 0; r < masters * replicasPerMaster; r++) {
      RedisProcess replica = nodes.get(masters + r);
      RedisProcess master = nodes.get(r % masters);
      String masterId = master.bulkCommand("CLUSTER", "MYID");
      // a replica can be told its master only once it has heard of it
      await(
          "node " + replica.port() + " to know its master " + master.port(),
          () -> replica.bulkCommand("CLUSTER", "NODES").contains(masterId));
      expectOk(replica, "CLUSTER", "REPLICATE", masterId);
    }
    await("the cluster to form", this::isFormed);
  }

  /** Every node reports the cluster ok, and every replica's link to its master is up. */
  private boolean isFormed() {
    for (int i = 0; i < nodes.size(); i++) {
      RedisProcess node = nodes.get(i);
      if (!node.bulkCommand("CLUSTER", "INFO").contains("cluster_state:ok")) {
        return false;
      }
      if (i >= masters
          && !node.bulkCommand("INFO", "replication").contains("master_link_status:up")) {
        return false;
      }
    }
    return true;
  }

  private static int knownNodes(RedisProcess node) {
    int known = 0;
    for (String line : node.bulkCommand("CLUSTER", "NODES").split("\n")) {
      if (!line.isBlank() && !line.contains("handshake")) {
        known++;
      }
    }
    return known;
  }

  private static void expectOk(RedisProcess node, String... command) {
    String reply = node.command(command);
    if (!reply.startsWith("+OK")) {
      throw new IllegalStateException(
          String.join(" ", List.of(command).subList(0, Math.min(3, command.length)))
              + " on port "
              + node.port()
              + " answered "
              + reply);
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    Polling.await(what, FORM_TIMEOUT, condition);
  }

  /** Returns every node's URI, masters first, such as {@code redis://127.0.0.1:6400}. */
  public List<String> uris() {
    return nodes.stream().map(RedisProcess::uri).toList();
  }

  /** Returns every node, the masters it was started with first, then their replicas. */
  public List<RedisProcess> nodes() {
    return nodes;
  }

  /** Returns node {@code i} in the order of {@link #nodes()}. */
  public RedisProcess node(int i) {
    return nodes.get(i);
  }

  /**
   * Returns the nodes that are masters now, each with the number of keys it holds ({@code DBSIZE}),
   * by port; a node that does not answer is left out.
   */
  public Map<Integer, Long> keysPerMaster() {
    Map<Integer, Long> keys = new TreeMap<>();
    for (RedisProcess node : nodes) {
      try {
        if (node.isAlive()
            && node.bulkCommand("INFO", "replication")
                .toLowerCase(Locale.ROOT)
                .contains("role:master")) {
          keys.put(node.port(), Long.parseLong(node.command("DBSIZE").substring(1).trim()));
        }
      } catch (RuntimeException e) {
        // a stopped or frozen node holds nothing a client can read
      }
    }
    return keys;
  }

  /** Stops every node. */
  @Override
  public void close() {
    nodes.forEach(RedisProcess::stop);
  }

  @Override
  public String toString() {
    return "LocalCluster" + uris();
  }
}
