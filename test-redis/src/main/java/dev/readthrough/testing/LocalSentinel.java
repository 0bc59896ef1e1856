package dev.readthrough.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A real Sentinel-managed Redis group of this JVM's own: one master, its replicas and three
 * sentinels, all redis-server processes ({@link RedisProcess}) on free loopback ports. Any of them
 * can be stopped, frozen and restarted; {@link #close()} stops them all.
 *
 * <p>The sentinels watch the master under {@value #MASTER_NAME} with a quorum of 2, take a node
 * that is silent for {@value #DOWN_AFTER_MILLIS} ms for down, and fail over within {@value
 * #FAILOVER_TIMEOUT_MILLIS} ms.
 *
 * <pre>{@code
 * try (LocalSentinel group = LocalSentinel.start()) {
 *   ReadThroughConfig.builder()
 *       .redisSentinel(LocalSentinel.MASTER_NAME, group.sentinelUris().toArray(String[]::new))...
 * }
 * }</pre>
 */
public final class LocalSentinel implements AutoCloseable {

  /** The name the sentinels know the master by. */
  public static final String MASTER_NAME = "readthrough";

  /** How long a node may be silent before a sentinel takes it for down. */
  public static final int DOWN_AFTER_MILLIS = 2000;

  /** How long a failover may take before the sentinels try again. */
  public static final int FAILOVER_TIMEOUT_MILLIS = 10000;

  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

  private final RedisProcess master;
  private final List<RedisProcess> replicas;
  private final List<RedisProcess> sentinels;

  private LocalSentinel(
      RedisProcess master, List<RedisProcess> replicas, List<RedisProcess> sentinels) {
    this.master = master;
    this.replicas = List.copyOf(replicas);
    this.sentinels = List.copyOf(sentinels);
  }

  /** Starts a master, one replica and three sentinels; see {@link #start(int)}. */
  public static LocalSentinel start() {
    return start(1);
  }

  /**
   * Starts a master, {@code replicas} replicas and three sentinels, and returns once every
   * replica's link is up and every sentinel sees the master, every replica and the two other
   * sentinels.
   *
   * @throws IllegalArgumentException if {@code replicas} is not 1 to 4
   * @throws IllegalStateException if a process does not start, or the group does not form within 30
   *     seconds (every process started is stopped again)
   */
  public static LocalSentinel start(int replicas) {
    if (replicas < 1 || replicas > 4) {
      throw new IllegalArgumentException("replicas must be 1 to 4, got " + replicas);
    }
    List<RedisProcess> started = new ArrayList<>();
    try {
      RedisProcess master = RedisProcess.start();
      started.add(master);
      List<RedisProcess> replicaNodes = new ArrayList<>();
      for (int i = 0; i < replicas; i++) {
        RedisProcess replica =
            RedisProcess.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
        started.add(replica);
        replicaNodes.add(replica);
      }
      List<RedisProcess> sentinelNodes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        RedisProcess sentinel =
            RedisProcess.startSentinel(
                List.of(
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS,
                    "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT_MILLIS,
                    "sentinel parallel-syncs " + MASTER_NAME + " 1"));
        started.add(sentinel);
        sentinelNodes.add(sentinel);
      }
      LocalSentinel group = new LocalSentinel(master, replicaNodes, sentinelNodes);
      await("the sentinel group to form", group::isFormed);
      return group;
    } catch (RuntimeException e) {
      started.forEach(RedisProcess::stop);
      throw e;
    }
  }

  private boolean isFormed() {
    for (RedisProcess replica : replicas) {
      if (!replica.bulkCommand("INFO", "replication").contains("master_link_status:up")) {
        return false;
      }
    }
    String expected =
        "address=127.0.0.1:"
            + master.port()
            + ",slaves="
            + replicas.size()
            + ",sentinels="
            + sentinels.size();
    for (RedisProcess sentinel : sentinels) {
      if (!sentinel.bulkCommand("INFO", "sentinel").contains(expected)) {
        return false;
      }
    }
    return true;
  }

  private static void await(String what, BooleanSupplier condition) {
    Polling.await(what, FORM_TIMEOUT, condition);
  }

  /** Returns the sentinels' URIs, such as {@code redis://127.0.0.1:6400}. */
  public List<String> sentinelUris() {
    return sentinels.stream().map(RedisProcess::uri).toList();
  }

  /** Returns the node the group was started with as its master (after a failover, a replica). */
  public RedisProcess master() {
    return master;
  }

  /** Returns the nodes the group was started with as replicas. */
  public List<RedisProcess> replicas() {
    return replicas;
  }

  /** Returns the three sentinels. */
  public List<RedisProcess> sentinels() {
    return sentinels;
  }

  /**
   * Returns the port of the master as the first sentinel that answers sees it now.
   *
   * @throws IllegalStateException if no sentinel answers
   */
  public int currentMasterPort() {
    for (RedisProcess sentinel : sentinels) {
      try {
        String info = sentinel.bulkCommand("INFO", "sentinel");
        int at = info.indexOf("address=127.0.0.1:");
        if (at >= 0) {
          int start = at + "address=127.0.0.1:".length();
          int end = info.indexOf(',', start);
          return Integer.parseInt(info.substring(start, end));
        }
      } catch (RuntimeException e) {
        // a stopped or frozen sentinel: ask the next
      }
    }
    throw new IllegalStateException("no sentinel of " + this + " answers");
  }

  /** Stops every sentinel, replica and the master. */
  @Override
  public void close() {
    sentinels.forEach(RedisProcess::stop);
    replicas.forEach(RedisProcess::stop);
    master.stop();
  }

  @Override
  public String toString() {
    return "LocalSentinel{master="
        + master.uri()
        + ", replicas="
        + replicas.stream().map(RedisProcess::uri).toList()
        + ", sentinels="
        + sentinelUris()
        + "}";
  }
}
