package dev.readthrough.runtime.internal.redis;

import dev.readthrough.runtime.internal.resilience.CircuitBreaker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisClusterMaster;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.cluster.ClusterSlotRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns which circuit breaker answers for each key: the one for all of Redis, and in a Redis Cluster
 * one more per shard, the slots that one master and its replicas serve.
 *
 * <p>Outside a Cluster (one server, Sentinel, a replicated group) there is one master, so the one
 * breaker is right: every key is the whole breaker's. In a Cluster the shards are learned from
 * {@code CLUSTER SLOTS} once Redis first answers ({@link #learn}): slots whose ranges name the same
 * master and replicas form one shard, and slots no master serves form one more. From then on each
 * key's failures and successes go to its shard's breaker, so a dead or frozen master opens the
 * breaker of its own keys only; each shard's probe reads a key of one of its own slots through the
 * client, which routes it to whichever node serves that slot now, so a promoted replica is found by
 * the probe without any topology of ours. The whole breaker then opens only when Redis cannot be
 * reached at start; failures that name no one key (a clear, which scans every master) feed no
 * breaker in a Cluster: the reads of the shard at fault do.
 *
 * <p>The grouping is learned once per engine: a slot that a resharding moves to another master
 * keeps the shard it had, so its failures open that shard's breaker. That costs precision (the
 * wrong shard's keys run uncached), never a wrong value.
 */
final class Shards {

  private static final Logger LOG = LoggerFactory.getLogger(Shards.class);

  /** One shard of a Cluster, named by its slots and nodes, with its breaker. */
  record Shard(String name, CircuitBreaker breaker) {}

  /** Which shard serves each slot, and the shards; built once, then only read. */
  private record Table(short[] shardOfSlot, Shard[] shards) {}

  private final CircuitBreaker whole;
  private final String keyPrefix;

  /** Makes the breaker of a shard, given its name and its probe key. */
  private final BiFunction<String, String, CircuitBreaker> breakers;

  private volatile @Nullable Table table;

  Shards(
      CircuitBreaker whole, String keyPrefix, BiFunction<String, String, CircuitBreaker> breakers) {
    this.whole = whole;
    this.keyPrefix = keyPrefix;
    this.breakers = breakers;
  }

  /** The breaker for all of Redis: what answers for every key outside a Cluster. */
  CircuitBreaker whole() {
    return whole;
  }

  /** The breaker that answers for {@code key}. */
  CircuitBreaker of(String key) {
    Table shards = table;
    return shards == null ? whole : shards.shards[shards.shardOfSlot[Slots.of(key)]].breaker;
  }

  /**
   * The breaker that failures naming no one key feed: the whole one outside a Cluster, none in one.
   */
  @Nullable CircuitBreaker keyless() {
    return table == null ? whole : null;
  }

  /** Whether every breaker is closed: no part of Redis is known to be down. */
  boolean allClosed() {
    if (!whole.isClosed()) {
      return false;
    }
    Table shards = table;
    if (shards != null) {
      for (Shard shard : shards.shards) {
        if (!shard.breaker.isClosed()) {
          return false;
        }
      }
    }
    return true;
  }

  /** The shards of a Cluster, once learned; none outside one. */
  List<Shard> shards() {
    Table shards = table;
    return shards == null ? List.of() : List.of(shards.shards);
  }

  /**
   * {@code keys} grouped by the breaker that answers for each, in their order: one group outside a
   * Cluster.
   */
  Map<CircuitBreaker, List<String>> group(List<String> keys) {
    Table shards = table;
    if (shards == null) {
      return Map.of(whole, keys);
    }
    Map<CircuitBreaker, List<String>> groups = new IdentityHashMap<>();
    for (String key : keys) {
      groups
          .computeIfAbsent(
              shards.shards[shards.shardOfSlot[Slots.of(key)]].breaker, b -> new ArrayList<>())
          .add(key);
    }
    return groups;
  }

  /**
   * Learns the shards of a Cluster from {@code client}, once: a no-op outside a Cluster, and once
   * learned. Called after Redis answered a check; if no master answers {@code CLUSTER SLOTS} now,
   * every key stays the whole breaker's until a later call learns them.
   */
  synchronized void learn(RedissonClient client) {
    if (table != null || !client.getConfig().isClusterConfig()) {
      return;
    }
    Map<ClusterSlotRange, Set<String>> ranges = null;
    RuntimeException last = null;
    for (RedisClusterMaster master : client.getRedisNodes(RedisNodes.CLUSTER).getMasters()) {
      try {
        ranges = master.clusterSlots();
        break;
      } catch (RuntimeException e) {
        last = e;
      }
    }
    if (ranges == null) {
      LOG.warn(
          "No Cluster master answered CLUSTER SLOTS ({}); one breaker serves every key for now",
          last == null ? "no master known" : RedisStore.safeMessage(last));
      return;
    }
    table = build(ranges);
    LOG.info(
        "Redis Cluster shards, each with a breaker of its own: {}",
        shards().stream().map(Shard::name).toList());
  }

  private Table build(Map<ClusterSlotRange, Set<String>> ranges) {
    Map<Set<String>, List<ClusterSlotRange>> byNodes = new LinkedHashMap<>();
    List<ClusterSlotRange> sorted = new ArrayList<>(ranges.keySet());
    sorted.sort((a, b) -> Integer.compare(a.getStartSlot(), b.getStartSlot()));
    for (ClusterSlotRange range : sorted) {
      byNodes.computeIfAbsent(ranges.get(range), nodes -> new ArrayList<>()).add(range);
    }
    short[] shardOfSlot = new short[Slots.COUNT];
    Arrays.fill(shardOfSlot, (short) byNodes.size()); // a slot no master serves: the last shard
    List<String> names = new ArrayList<>();
    int index = 0;
    for (Map.Entry<Set<String>, List<ClusterSlotRange>> shard : byNodes.entrySet()) {
      List<String> slots = new ArrayList<>();
      for (ClusterSlotRange range : shard.getValue()) {
        Arrays.fill(shardOfSlot, range.getStartSlot(), range.getEndSlot() + 1, (short) index);
        slots.add(range.getStartSlot() + "-" + range.getEndSlot());
      }
      List<String> nodes = new ArrayList<>(shard.getKey());
      Collections.sort(nodes);
      names.add("slots " + String.join(",", slots) + " (" + String.join(", ", nodes) + ")");
      index++;
    }
    boolean unserved = false;
    for (short shard : shardOfSlot) {
      unserved |= shard == names.size();
    }
    if (unserved) {
      names.add("the slots no master served at start");
    }
    String[] probeKeys = probeKeys(shardOfSlot, names.size());
    Shard[] shards = new Shard[names.size()];
    for (int i = 0; i < shards.length; i++) {
      String name = "the Redis Cluster shard of " + names.get(i);
      shards[i] = new Shard(names.get(i), breakers.apply(name, probeKeys[i]));
    }
    return new Table(shardOfSlot, shards);
  }

  /**
   * For each shard, a key that lands on one of its slots and never exists: the probe key with a
   * hash tag found by counting, at most a few hundred thousand CRC16s for a shard of one slot.
   */
  private String[] probeKeys(short[] shardOfSlot, int count) {
    String[] keys = new String[count];
    int missing = count;
    for (int tag = 0; missing > 0 && tag < Slots.COUNT * 64; tag++) {
      String key = keyPrefix + RedisStore.PROBE_KEY_SUFFIX + "{" + tag + "}";
      int shard = shardOfSlot[Slots.of(key)];
      if (keys[shard] == null) {
        keys[shard] = key;
        missing--;
      }
    }
    for (int i = 0; i < count; i++) {
      if (keys[i] == null) {
        keys[i] = keyPrefix + RedisStore.PROBE_KEY_SUFFIX; // never: every shard has a slot
      }
    }
    return keys;
  }

  /** Stops every breaker's probing for good; the engine is closing. */
  void shutDown() {
    whole.shutDown();
    for (Shard shard : shards()) {
      shard.breaker.shutDown();
    }
  }
}
