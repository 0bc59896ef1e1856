package dev.readthrough.bench;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * The floor: Redisson {@code RBucket<byte[]>} GET with {@link ByteArrayCodec}, then plain Kryo
 * decode: the least a {@code byte[]} read through Redisson can cost, and what every case is
 * compared with.
 */
@State(Scope.Benchmark)
public class FloorState {

  private RedissonClient redisson;
  private RBucket<byte[]> bucket;
  private RBucket<byte[]> absent;
  private final FloorKryo kryo = new FloorKryo();

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String value = params.getParam("value") == null ? "small" : params.getParam("value");
    Object expected = Values.of(value);
    redisson = BenchRedis.client();
    bucket = redisson.getBucket(key(value), ByteArrayCodec.INSTANCE);
    bucket.set(kryo.encode(expected));
    absent = redisson.getBucket("floor:absent", ByteArrayCodec.INSTANCE);
    absent.delete();
    if (!expected.equals(read())) {
      throw new IllegalStateException("floor read back a different value");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    BenchRedis.shutdown(redisson);
  }

  /**
   * The key the floors store {@code value}'s bytes under, {@code floor:small} or {@code
   * floor:large}.
   */
  static String key(String value) {
    return "floor:" + value;
  }

  /** GET of the stored bytes and Kryo decode. */
  public Object read() {
    return kryo.decode(bucket.get());
  }

  /**
   * The same GET and decode, but waited for the way the engine waits: {@code CompletableFuture.get}
   * with a timeout (200 ms, the woven cases' operation timeout), where {@link #read} waits as
   * Redisson's {@code RBucket.get()} does, with the untimed {@code get()}.
   */
  public Object readTimed() throws ExecutionException, InterruptedException, TimeoutException {
    return kryo.decode(bucket.getAsync().toCompletableFuture().get(200, TimeUnit.MILLISECONDS));
  }

  /** GET of a key that does not exist: one Redis round trip and nothing else. */
  public byte[] roundTrip() {
    return absent.get();
  }
}
