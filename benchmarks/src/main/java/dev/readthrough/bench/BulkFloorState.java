package dev.readthrough.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.api.RBuckets;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * The bulk floor: the {@value ItemService#COUNT} items {@link ItemService#findAll} returns, stored
 * as plain Kryo bytes under {@code floor:items:<id>} and read back as hand-written code would: one
 * {@code RBuckets.get(keys...)} (one MGET) with {@link ByteArrayCodec}, then a Kryo decode of each
 * value into a map from id to item, in the ids' order, as the woven bulk call returns them. A
 * Redisson client on default settings, as {@link FloorState}'s.
 */
@State(Scope.Benchmark)
public class BulkFloorState {

  private final FloorKryo kryo = new FloorKryo();
  private final Long[] ids = ids();
  private final String[] keys = keys(ids);
  private RedissonClient redisson;
  private RBuckets buckets;

  @Setup(Level.Trial)
  public void setUp() {
    redisson = BenchRedis.client();
    buckets = redisson.getBuckets(ByteArrayCodec.INSTANCE);
    Map<String, byte[]> entries = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      entries.put(keys[i], kryo.encode(Values.item(ids[i])));
    }
    buckets.set(entries);
    Map<Long, Item> read = read();
    if (read.size() != ids.length || !read.get(ids[0]).equals(Values.item(ids[0]))) {
      throw new IllegalStateException("the bulk floor read back different items: " + read.size());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    BenchRedis.shutdown(redisson);
  }

  /** One MGET of every key, and a decode of each value. */
  public Map<Long, Item> read() {
    Map<String, byte[]> found = buckets.get(keys);
    Map<Long, Item> items = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      byte[] bytes = found.get(keys[i]);
      if (bytes != null) {
        items.put(ids[i], (Item) kryo.decode(bytes));
      }
    }
    return items;
  }

  private static Long[] ids() {
    List<Long> ids = ItemState.ids();
    return ids.toArray(Long[]::new);
  }

  private static String[] keys(Long[] ids) {
    String[] keys = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      keys[i] = "floor:items:" + ids[i];
    }
    return keys;
  }
}
