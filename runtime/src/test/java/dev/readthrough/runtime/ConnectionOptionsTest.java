package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.runtime.Fixtures.Service;
import dev.readthrough.testing.RedisProcess;
import dev.readthrough.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** The three ways to reach Redis all cache: a URI, an existing client, a Redisson YAML file. */
class ConnectionOptionsTest {

  private static void assertCaches(ReadThroughEngine engine, RedissonClient look) {
    Service service = new Service();
    engine.invalidate("users", 501L);
    service.find(501);
    await().atMost(Duration.ofSeconds(10)).until(() -> look.getBucket("rt:users:501").isExists());
    service.find(501);
    assertThat(service.calls).hasValue(1);
    engine.invalidate("users", 501L);
  }

  @Test
  void existingClient_isUsedAndLeftRunningOnClose() {
    Config config = new Config();
    config.useSingleServer().setAddress(TestRedis.uri());
    RedissonClient client = Redisson.create(config);
    try {
      try (ReadThroughEngine engine =
          ReadThroughEngine.start(ReadThroughConfig.builder().redisson(client).build())) {
        assertCaches(engine, client);
      }
      assertThat(client.isShutdown()).isFalse();
    } finally {
      client.shutdown();
    }
  }

  @Test
  void redissonYaml_isRead(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("redisson.yaml");
    Files.writeString(yaml, "singleServerConfig:\n  address: \"" + TestRedis.uri() + "\"\n");
    Config plain = new Config();
    plain.useSingleServer().setAddress(TestRedis.uri());
    RedissonClient look = Redisson.create(plain);
    try (ReadThroughEngine engine =
        ReadThroughEngine.start(ReadThroughConfig.builder().redissonYaml(yaml).build())) {
      assertThat(engine.isRedisAvailable()).isTrue();
      assertCaches(engine, look);
    } finally {
      look.shutdown();
    }
  }

  @Test
  void redissonYaml_passwordAtTopLevel_reachesARequirePassServer(@TempDir Path dir)
      throws Exception {
    try (RedisProcess redis = RedisProcess.start("--requirepass", "yaml-Pw-2b7e")) {
      Path yaml = dir.resolve("redisson.yaml");
      Files.writeString(
          yaml,
          "password: \"yaml-Pw-2b7e\"\nsingleServerConfig:\n  address: \"" + redis.uri() + "\"\n");
      Config plain = new Config();
      plain.setPassword("yaml-Pw-2b7e");
      plain.useSingleServer().setAddress(redis.uri());
      RedissonClient look = Redisson.create(plain);
      try (ReadThroughEngine engine =
          ReadThroughEngine.start(ReadThroughConfig.builder().redissonYaml(yaml).build())) {
        await().atMost(Duration.ofSeconds(20)).until(engine::isRedisAvailable);
        assertCaches(engine, look);
      } finally {
        look.shutdown();
      }
    }
  }
}
