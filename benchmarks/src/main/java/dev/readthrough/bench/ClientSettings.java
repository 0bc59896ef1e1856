package dev.readthrough.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;
import org.redisson.config.SingleServerConfig;

/**
 * The floor's GET and decode on 16 threads through clients that differ from Redisson's defaults in
 * one setting each, and in all of the engine's: which of the engine's client settings costs the
 * hit, and what pool size serves 16 threads best. The engine's settings are restated here (its
 * client is not reachable from outside the runtime).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(16)
public class ClientSettings {

  /**
   * {@code defaults}: Redisson's own (pool 64, 24 idle, ping every 30 s, 4 retries, 3 s timeout,
   * connected at once, Redisson's threads; its timer ticks every 10 to 49 ms, drawn at random from
   * its jittered retry delay). {@code engineBefore}: the client the engine created for a {@code
   * redisUri} before 0.2 chose its pool and timer tick: all of the following at once. The others
   * change one thing of the defaults: {@code idle2} 2 idle connections; {@code ping1s} a ping every
   * second; {@code noRetry} no retries; {@code timeout1s} a 1 s timeout and a 200 ms retry delay,
   * hence a 100 ms timer tick; {@code noRetryTick10} no retries and a 20 ms retry delay, hence a 10
   * ms tick; {@code lazy} lazy initialization; {@code ownThreads} the engine's own I/O group and
   * callback pool; {@code poolN} a pool of N connections, all kept idle (under 10, Redisson
   * releases a connection right after writing the command to it, so commands share connections).
   */
  @Param({
    "defaults",
    "engineBefore",
    "idle2",
    "ping1s",
    "noRetry",
    "timeout1s",
    "noRetryTick10",
    "lazy",
    "ownThreads",
    "pool8",
    "pool16",
    "pool32",
    "pool64"
  })
  public String settings;

  private RedissonClient redisson;
  private RBucket<byte[]> bucket;
  private EventLoopGroup io;
  private ExecutorService callbacks;
  private final FloorKryo kryo = new FloorKryo();

  @Setup(Level.Trial)
  public void setUp() {
    Config config = new Config();
    SingleServerConfig server = config.useSingleServer().setAddress(BenchRedis.uri());
    switch (settings) {
      case "defaults" -> {}
      case "engineBefore" -> {
        server
            .setConnectionMinimumIdleSize(2)
            .setConnectionPoolSize(64)
            .setTimeout(1000)
            .setConnectTimeout(1000)
            .setRetryAttempts(0)
            .setRetryDelay(new ConstantDelay(Duration.ofMillis(200)))
            .setPingConnectionInterval(1000);
        config.setLazyInitialization(true);
        ownThreads(config);
      }
      case "idle2" -> server.setConnectionMinimumIdleSize(2);
      case "ping1s" -> server.setPingConnectionInterval(1000);
      case "noRetry" -> server.setRetryAttempts(0);
      case "timeout1s" ->
          server.setTimeout(1000).setRetryDelay(new ConstantDelay(Duration.ofMillis(200)));
      case "noRetryTick10" ->
          server.setRetryAttempts(0).setRetryDelay(new ConstantDelay(Duration.ofMillis(20)));
      case "lazy" -> config.setLazyInitialization(true);
      case "ownThreads" -> ownThreads(config);
      default -> {
        if (!settings.startsWith("pool")) {
          throw new IllegalArgumentException("unknown settings " + settings);
        }
        int size = Integer.parseInt(settings.substring(4));
        server.setConnectionPoolSize(size).setConnectionMinimumIdleSize(size);
      }
    }
    redisson = Redisson.create(config);
    bucket = redisson.getBucket("floor:small", ByteArrayCodec.INSTANCE);
    bucket.set(kryo.encode(Values.of("small")));
  }

  /** The engine's own daemon threads: an NIO group of Redisson's size, a fixed callback pool. */
  private void ownThreads(Config config) {
    io =
        new MultiThreadIoEventLoopGroup(
            config.getNettyThreads(),
            new DefaultThreadFactory("bench-redis-io", true),
            NioIoHandler.newFactory());
    config.setEventLoopGroup(io);
    int threads =
        config.getThreads() != 0
            ? config.getThreads()
            : Runtime.getRuntime().availableProcessors() * 2;
    callbacks =
        Executors.newFixedThreadPool(threads, new DefaultThreadFactory("bench-callbacks", true));
    config.setExecutor(callbacks);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    BenchRedis.shutdown(redisson);
    if (io != null) {
      io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
    if (callbacks != null) {
      callbacks.shutdownNow();
    }
  }

  /** GET of the stored bytes and Kryo decode, as the floor. */
  @Benchmark
  public Object get() {
    return kryo.decode(bucket.get());
  }
}
