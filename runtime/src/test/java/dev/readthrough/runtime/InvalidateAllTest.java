package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.testing.RedisProcess;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * {@code invalidateAll} in a Redis that holds many other keys, against a redis-server of this
 * test's own: SCAN then answers most pages with no key of the cache at all, and the clear must
 * still go on to the end of the keyspace.
 */
class InvalidateAllTest {

  static final class Catalog {
    final AtomicInteger runs = new AtomicInteger();

    @ReadThrough(cache = "scanned", key = "id", ttlSeconds = 300)
    String title(int id) {
      return "title-" + id + "-" + runs.incrementAndGet();
    }
  }

  private final Catalog catalog = new Catalog();
  private RedisProcess redis;
  private ReadThroughEngine engine;

  @BeforeEach
  void start() {
    redis = RedisProcess.start();
    engine = ReadThroughEngine.start(ReadThroughConfig.builder().redisUri(redis.uri()).build());
  }

  @AfterEach
  void stop() {
    engine.close();
    redis.close();
  }

  @Test
  void invalidateAll_amongManyOtherKeys_removesEveryEntryOfTheCache() {
    Config plain = new Config();
    plain.useSingleServer().setAddress(redis.uri());
    RedissonClient other = Redisson.create(plain);
    try {
      RBatch batch = other.createBatch();
      for (int i = 0; i < 20_000; i++) {
        batch.getBucket("other:" + i, StringCodec.INSTANCE).setAsync("x");
      }
      batch.execute();
    } finally {
      other.shutdown();
    }
    String[] exists = new String[11];
    exists[0] = "EXISTS";
    for (int id = 0; id < 10; id++) {
      catalog.title(id);
      exists[id + 1] = "rt:scanned:" + id;
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.command(exists).equals(":10"));

    assertThat(engine.invalidateAll("scanned")).isEqualTo(10);

    assertThat(redis.command(exists)).as("entries left").isEqualTo(":0");
    assertThat(redis.command("DBSIZE")).as("the other keys are kept").isEqualTo(":20000");
  }
}
