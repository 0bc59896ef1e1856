package dev.readthrough.runtime;

import dev.readthrough.runtime.internal.call.Store;
import dev.readthrough.testing.TestRedis;
import java.time.Duration;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

/**
 * One engine per test class on the shared test Redis, and a plain Redisson client to look at what
 * the engine wrote. Keys under {@code rt:} are removed before each test.
 */
final class RedisFixture implements AutoCloseable {

  final ReadThroughEngine engine;
  final RedissonClient redis;

  private RedisFixture(ReadThroughConfig config) {
    this.engine = ReadThroughEngine.start(config);
    Config plain = new Config();
    plain.useSingleServer().setAddress(TestRedis.uri());
    this.redis = Redisson.create(plain);
  }

  static RedisFixture start() {
    return start(
        ReadThroughConfig.builder()
            .redisUri(TestRedis.uri())
            .operationTimeout(Duration.ofSeconds(2)));
  }

  static RedisFixture start(ReadThroughConfig.Builder config) {
    return new RedisFixture(config.build());
  }

  void clear() {
    redis.getKeys().deleteByPattern("rt:*");
  }

  /** Whether the key holds an entry: a load's lease, which reads as a miss, is not one. */
  boolean exists(String key) {
    byte[] bytes = bytes(key);
    return bytes != null && !Store.isLease(bytes);
  }

  byte[] bytes(String key) {
    return redis.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).get();
  }

  long pttl(String key) {
    return redis.getBucket(key, ByteArrayCodec.INSTANCE).remainTimeToLive();
  }

  @Override
  public void close() {
    engine.close();
    redis.shutdown();
  }
}
