package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.runtime.Fixtures.Service;
import dev.readthrough.runtime.Fixtures.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteAndInvalidateTest extends EngineTest {

  Service service;

  @BeforeEach
  void newService() {
    service = new Service();
  }

  @Test
  void writeThrough_alwaysRunsTheMethodAndStoresBeforeReturning() {
    service.save(new User(9, "first"));
    service.save(new User(9, "second"));

    assertThat(service.calls).hasValue(2);
    assertThat(redis.exists("rt:users:9")).isTrue(); // no waiting: stored before returning
    assertThat(service.find(9)).isEqualTo(new User(9, "second"));
    assertThat(service.calls).hasValue(2); // find was a hit on the written value
  }

  @Test
  void writeThrough_methodException_propagatesAndWritesNothing() {
    service.find(10);
    awaitStored("rt:users:10");

    assertThatThrownBy(() -> service.saveFailing(new User(10, "changed")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("rejected 10");
    assertThat(service.find(10)).isEqualTo(new User(10, "user-10"));
  }

  @Test
  void invalidate_removesTheEntryAfterANormalReturn() {
    service.find(11);
    awaitStored("rt:users:11");

    service.delete(11);

    assertThat(redis.exists("rt:users:11")).isFalse();
    service.find(11);
    assertThat(service.calls).hasValue(3); // find, delete, find again
  }

  @Test
  void invalidate_methodException_keepsTheEntry() {
    service.find(12);
    awaitStored("rt:users:12");

    assertThatThrownBy(() -> service.deleteFailing(12)).hasMessage("cannot delete 12");

    assertThat(redis.exists("rt:users:12")).isTrue();
  }

  @Test
  void invalidateAllEntries_removesEveryEntryOfThatCacheOnly() {
    service.universities("DE", 1);
    service.universities("FR", 1);
    service.find(13);
    awaitStored("rt:universities:DE:1");
    awaitStored("rt:universities:FR:1");
    awaitStored("rt:users:13");

    service.refreshUniversities();

    assertThat(redis.exists("rt:universities:DE:1")).isFalse();
    assertThat(redis.exists("rt:universities:FR:1")).isFalse();
    assertThat(redis.exists("rt:users:13")).isTrue();
  }

  @Test
  void invalidateAllEntries_scansPastManyKeys() {
    for (int page = 0; page < 1200; page++) {
      redis
          .redis
          .getBucket(
              "rt:universities:XX:" + page, org.redisson.client.codec.ByteArrayCodec.INSTANCE)
          .set(new byte[] {1});
    }
    redis
        .redis
        .getBucket("rt:universities-archive:1", org.redisson.client.codec.ByteArrayCodec.INSTANCE)
        .set(new byte[] {1});

    assertThat(redis.engine.invalidateAll("universities")).isEqualTo(1200);
    assertThat(redis.exists("rt:universities-archive:1")).isTrue();
  }

  @Test
  void programmaticInvalidate_formsTheSameKeyAsTheWovenMethod() {
    service.universities("DE", 3);
    service.pair("a:b", "c");
    awaitStored("rt:universities:DE:3");
    awaitStored("rt:pairs:a\\:b:c");

    redis.engine.invalidate("universities", "DE", 3);
    redis.engine.invalidate("pairs", "a:b", "c");

    assertThat(redis.exists("rt:universities:DE:3")).isFalse();
    assertThat(redis.exists("rt:pairs:a\\:b:c")).isFalse();
  }

  @Test
  void programmaticInvalidateAll_removesEveryEntry() {
    service.find(1);
    service.find(2);
    awaitStored("rt:users:1");
    awaitStored("rt:users:2");

    assertThat(redis.engine.invalidateAll("users")).isEqualTo(2);
    assertThat(redis.exists("rt:users:1")).isFalse();
  }

  @Test
  void programmaticApi_rejectsACacheNameWithASeparator() {
    assertThatThrownBy(() -> redis.engine.invalidateAll("a:b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a:b");
  }

  @Test
  void stats_countHitsMissesPerCache() {
    CacheStats before = redis.engine.stats("pairs");
    service.pair("x", "y");
    awaitStored("rt:pairs:x:y");
    service.pair("x", "y");
    service.pair("x", "y");

    CacheStats after = redis.engine.stats("pairs");
    assertThat(after.misses() - before.misses()).isEqualTo(1);
    assertThat(after.hits() - before.hits()).isEqualTo(2);
    assertThat(after.errors()).isEqualTo(before.errors());
    assertThat(redis.engine.stats()).containsKey("pairs");
    assertThat(redis.engine.stats("never-used")).isEqualTo(CacheStats.empty());
  }
}
