package dev.readthrough.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The second floor: a synchronous Lettuce {@code GET} of the same stored bytes as {@link
 * FloorState}'s, then the same plain Kryo decode. Lettuce is the client Spring Data Redis uses by
 * default, and it is used as Spring Data uses it: one connection with {@link ByteArrayCodec},
 * shared by every benchmark thread (Lettuce pipelines the threads' commands on it), on Lettuce's
 * default settings. Its synchronous API waits for each reply with a timeout (the connection's
 * command timeout, 60 s by default), as the engine does and Redisson's {@code RBucket.get()} does
 * not.
 */
@State(Scope.Benchmark)
public class LettuceFloorState {

  private RedisClient client;
  private StatefulRedisConnection<byte[], byte[]> connection;
  private RedisCommands<byte[], byte[]> commands;
  private byte[] key;
  private final FloorKryo kryo = new FloorKryo();

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String value = params.getParam("value") == null ? "small" : params.getParam("value");
    Object expected = Values.of(value);
    client = RedisClient.create(RedisURI.create(BenchRedis.uri()));
    connection = client.connect(ByteArrayCodec.INSTANCE);
    commands = connection.sync();
    key = FloorState.key(value).getBytes(StandardCharsets.UTF_8);
    commands.set(key, kryo.encode(expected));
    if (!expected.equals(read())) {
      throw new IllegalStateException("the Lettuce floor read back a different value");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    connection.close();
    // no quiet period, as BenchRedis.shutdown does for Redisson: forks end sooner
    client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
  }

  /** GET of the stored bytes and Kryo decode. */
  public Object read() {
    return kryo.decode(commands.get(key));
  }
}
