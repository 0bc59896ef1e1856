package dev.readthrough.reliability;

import dev.readthrough.testing.RedisProcess;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

/**
 * A plain Redisson client on a test's own Redis, for reading and planting raw entries beside the
 * engine: what a second application, an operator or an attacker with Redis access could do.
 */
public final class RawRedis implements AutoCloseable {

  private final RedissonClient client;

  private RawRedis(String uri) {
    Config config = new Config();
    config
        .useSingleServer()
        .setAddress(uri)
        .setConnectionMinimumIdleSize(1)
        .setConnectionPoolSize(4)
        .setTimeout(3000)
        .setConnectTimeout(3000)
        .setRetryAttempts(0);
    this.client = Redisson.create(config);
  }

  /** Connects to the test's own Redis. */
  public static RawRedis connect(RedisProcess redis) {
    return new RawRedis(redis.uri());
  }

  /** Connects to the Redis at {@code uri}, such as another JVM's test Redis. */
  public static RawRedis connect(String uri) {
    return new RawRedis(uri);
  }

  public RedissonClient client() {
    return client;
  }

  public byte @Nullable [] get(String key) {
    return bucket(key).get();
  }

  public void set(String key, byte[] value) {
    bucket(key).set(value);
  }

  public boolean exists(String key) {
    return bucket(key).isExists();
  }

  /** The remaining time to live in milliseconds (Redis PTTL): -1 without TTL, -2 if absent. */
  public long pttl(String key) {
    return bucket(key).remainTimeToLive();
  }

  private RBucket<byte[]> bucket(String key) {
    return client.getBucket(key, ByteArrayCodec.INSTANCE);
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
