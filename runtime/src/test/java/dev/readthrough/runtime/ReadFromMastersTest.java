package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.testing.RedisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

/**
 * With a master/replica configuration from a Redisson YAML file, the engine reads from the master:
 * a read right after a {@code @WriteThrough} returns the written value, not the one a lagging
 * replica still holds.
 *
 * <p>The "replica" is a second redis-server that does not replicate: it holds the entry as it was
 * before the write, exactly what a replica that has not caught up yet would answer. Redisson's
 * master/slave mode does not check roles, so it reads from it whenever its read mode says so.
 */
class ReadFromMastersTest {

  static final class Profiles {
    final AtomicInteger version = new AtomicInteger(1);

    @ReadThrough(cache = "profiles", key = "id", ttlSeconds = 300)
    String find(int id) {
      return "profile-" + id + "-v" + version.get();
    }

    @WriteThrough(cache = "profiles", key = "id", ttlSeconds = 300)
    String update(int id) {
      return "profile-" + id + "-v" + version.incrementAndGet();
    }
  }

  private RedisProcess master;
  private RedisProcess replica;
  private RedissonClient onMaster;
  private RedissonClient onReplica;

  @BeforeEach
  void startServers() {
    master = RedisProcess.start();
    replica = RedisProcess.start();
    onMaster = plainClient(master);
    onReplica = plainClient(replica);
  }

  @AfterEach
  void stopServers() {
    onMaster.shutdown();
    onReplica.shutdown();
    master.stop();
    replica.stop();
  }

  private static RedissonClient plainClient(RedisProcess server) {
    Config config = new Config();
    config.useSingleServer().setAddress(server.uri());
    return Redisson.create(config);
  }

  private static byte[] bytes(RedissonClient redis, String key) {
    return redis.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).get();
  }

  @Test
  void masterSlaveYaml_readRightAfterWriteThrough_returnsTheWrittenValue(@TempDir Path dir)
      throws Exception {
    Path yaml = dir.resolve("redisson.yaml");
    Files.writeString(
        yaml,
        "masterSlaveServersConfig:\n"
            + "  masterAddress: \""
            + master.uri()
            + "\"\n"
            + "  slaveAddresses:\n"
            + "  - \""
            + replica.uri()
            + "\"\n");
    Profiles profiles = new Profiles();
    ReadThroughConfig config =
        ReadThroughConfig.builder()
            .redissonYaml(yaml)
            .operationTimeout(Duration.ofSeconds(2))
            .build();
    try (ReadThroughEngine engine = ReadThroughEngine.start(config)) {
      await().atMost(Duration.ofSeconds(20)).until(engine::isRedisAvailable);
      assertThat(profiles.find(7)).isEqualTo("profile-7-v1");
      await().atMost(Duration.ofSeconds(10)).until(() -> bytes(onMaster, "rt:profiles:7") != null);
      byte[] before = bytes(onMaster, "rt:profiles:7");
      onReplica.<byte[]>getBucket("rt:profiles:7", ByteArrayCodec.INSTANCE).set(before);

      assertThat(profiles.update(7)).isEqualTo("profile-7-v2");
      assertThat(Arrays.equals(bytes(onMaster, "rt:profiles:7"), before))
          .as("master holds the write")
          .isFalse();

      assertThat(profiles.find(7)).isEqualTo("profile-7-v2");
      assertThat(engine.stats("profiles").hits()).isEqualTo(1);
    }
  }
}
