package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.readthrough.runtime.Fixtures.Service;
import dev.readthrough.runtime.Fixtures.User;
import dev.readthrough.weaver.CacheInterceptors;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class NoEngineTest {

  @Test
  void wovenMethod_withNoEngineStarted_runsUncachedWithoutError() {
    assertThat(CacheInterceptors.isInstalled()).isFalse();
    Service service = new Service();

    assertThat(service.find(1)).isEqualTo(new User(1, "user-1"));
    assertThat(service.find(1)).isEqualTo(new User(1, "user-1"));

    assertThat(service.calls).hasValue(2);
  }

  @Test
  void secondEngine_isRefusedWhileOneRuns() {
    try (RedisFixture first = RedisFixture.start()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(RedisFixture::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already installed");
      assertThat(first.engine.isRedisAvailable()).isTrue();
    }
    assertThat(CacheInterceptors.isInstalled()).isFalse();
  }

  @Test
  void wovenMethod_afterTheEngineClosed_warnsOnceThroughSlf4j() {
    RedisFixture.start().close();
    Service service = new Service();

    try (Logs logs = Logs.of(CacheInterceptors.class.getName())) {
      service.find(3);
      service.find(4);

      assertThat(logs.at(Level.WARN))
          .singleElement(as(InstanceOfAssertFactories.STRING))
          .startsWith("No Readthrough engine is started: Fixtures.Service.find(..)")
          .contains("run uncached until ReadThroughEngine.start(...)");
    }
  }

  @Test
  void closedEngine_leavesWovenMethodsUncached() {
    RedisFixture.start().close();
    Service service = new Service();

    service.find(2);
    service.find(2);

    assertThat(service.calls).hasValue(2);
  }
}
