package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.runtime.internal.redis.RedisAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadThroughConfigTest {

  @Test
  void defaults() {
    ReadThroughConfig config = ReadThroughConfig.builder().build();
    assertThat(config.redisUri()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(config.keyPrefix()).isEqualTo("rt");
    assertThat(config.operationTimeout()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.ttlJitter()).isZero();
    assertThat(config.maxValueBytes()).isEqualTo(1 << 20);
    assertThat(config.distributedLock()).isFalse();
  }

  @Test
  void eachSetting_isCheckedAsItIsSet_withAMessageNamingIt() {
    ReadThroughConfig.Builder builder = ReadThroughConfig.builder();
    assertThatThrownBy(() -> builder.keyPrefix("a:b")).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> builder.keyPrefix("")).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> builder.operationTimeout(Duration.ZERO))
        .hasMessageContaining("operationTimeout");
    assertThatThrownBy(() -> builder.ttlJitter(1.0)).hasMessageContaining("ttlJitter");
    assertThatThrownBy(() -> builder.ttlJitter(-0.1)).hasMessageContaining("ttlJitter");
    assertThatThrownBy(() -> builder.maxValueBytes(10)).hasMessageContaining("maxValueBytes");
    assertThatThrownBy(() -> builder.failureThreshold(0)).hasMessageContaining("failureThreshold");
    assertThatThrownBy(() -> builder.probeInterval(Duration.ofMillis(1)))
        .hasMessageContaining("probeInterval");
    assertThatThrownBy(() -> builder.distributedLock(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("distributedLock");
    assertThatThrownBy(() -> builder.redisUri("http://x")).hasMessageContaining("redisUri");
    assertThatThrownBy(() -> builder.redissonYaml(Path.of("/no/such/file.yaml")))
        .hasMessageContaining("redissonYaml");
    assertThatThrownBy(() -> builder.allowClasses(Runnable.class))
        .hasMessageContaining("allowClasses");
  }

  @Test
  void credentials_neverAppearInToStringOrErrors() {
    ReadThroughConfig config =
        ReadThroughConfig.builder().redisUri("redis://admin:hunter2@10.1.2.3:6380/2").build();
    assertThat(config.toString())
        .doesNotContain("hunter2")
        .doesNotContain("admin")
        .contains("***@10.1.2.3:6380");
    assertThatThrownBy(
            () -> ReadThroughConfig.builder().redisUri("redis://admin:hunter2@host:notaport"))
        .satisfies(
            e -> assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("admin"));
    assertThat(RedisAddress.parse("redis://admin:hunter2@h:1/3").toString())
        .doesNotContain("hunter2");
  }

  @Test
  void redisUri_isParsedIntoAddressCredentialsAndDatabase() {
    RedisAddress address = RedisAddress.parse("rediss://u:p@example.org:6390/4");
    assertThat(address.address()).isEqualTo("rediss://example.org:6390");
    assertThat(address.username()).isEqualTo("u");
    assertThat(address.password()).isEqualTo("p");
    assertThat(address.database()).isEqualTo(4);
    assertThat(RedisAddress.parse("redis://:p@h").username()).isNull();
  }
}
