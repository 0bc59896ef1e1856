package dev.readthrough.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UniversityServiceTest {

  private static StoredKeys redis;
  private ReadThroughEngine engine;
  private UniversityApi upstream;
  private UniversityService service;

  @BeforeAll
  static void connect() {
    redis = new StoredKeys();
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @BeforeEach
  void startEngine() {
    // a prefix of its own per test: no entry of another test or run is ever seen
    String prefix = "sample-test-" + UUID.randomUUID().toString().substring(0, 8);
    engine = ReadThroughEngine.start(config(prefix));
    upstream = new UniversityApi(Duration.ZERO);
    service = new UniversityService(upstream);
  }

  /**
   * The shared test Redis with a key prefix of the test's own. The operation timeout is generous
   * because a cold JVM can take longer than the 200 ms default for its first connection, and an
   * engine that starts without Redis would run these calls uncached.
   */
  static ReadThroughConfig config(String keyPrefix) {
    return ReadThroughConfig.builder()
        .redisUri(TestRedis.uri())
        .keyPrefix(keyPrefix)
        .operationTimeout(Duration.ofSeconds(2))
        .build();
  }

  private String key(String cacheAndParts) {
    return engine.config().keyPrefix() + ":" + cacheAndParts;
  }

  @AfterEach
  void closeEngine() {
    engine.invalidateAll("universities");
    engine.invalidateAll("university");
    engine.close();
  }

  @Test
  void search_secondCall_isServedFromRedis() {
    List<University> first = service.search("DE", 1);
    redis.awaitStored(key("universities:DE:1"));
    List<University> second = service.search("DE", 1);

    assertThat(second).isEqualTo(first).hasSize(UniversityApi.PAGE_SIZE);
    assertThat(upstream.calls()).isEqualTo(1);
    assertThat(engine.stats("universities").hits()).isEqualTo(1);
  }

  @Test
  void search_otherPage_isAnEntryOfItsOwn() {
    List<University> page1 = service.search("DE", 1);
    List<University> page2 = service.search("DE", 2);

    assertThat(page2).isNotEmpty().doesNotContainAnyElementsOf(page1);
    assertThat(upstream.calls()).isEqualTo(2);
  }

  @Test
  void search_key_isReadable() throws NoSuchMethodException {
    String key =
        engine.keyFor(
            UniversityService.class.getMethod("search", String.class, int.class), "DE", 2);

    assertThat(key).isEqualTo(engine.config().keyPrefix() + ":universities:DE:2");
  }

  @Test
  void byId_secondCall_isServedFromRedis() {
    Optional<University> first = service.byId("de-tum");
    redis.awaitStored(key("university:de-tum"));
    Optional<University> second = service.byId("de-tum");

    assertThat(second).isEqualTo(first).isPresent();
    assertThat(upstream.calls()).isEqualTo(1);
  }

  @Test
  void byId_unknownId_isNotCached() {
    assertThat(service.byId("xx-unknown")).isEmpty();
    assertThat(service.byId("xx-unknown")).isEmpty();

    assertThat(upstream.calls()).isEqualTo(2);
  }

  @Test
  void save_storesTheNewValue_forById() {
    University before = service.byId("nl-tudelft").orElseThrow();
    redis.awaitStored(key("university:nl-tudelft"));
    University renamed = before.withName("TU Delft");

    service.save(renamed);

    assertThat(service.byId("nl-tudelft")).contains(renamed);
    assertThat(upstream.calls()).as("find, update; the last read is a hit").isEqualTo(2);
  }

  @Test
  void refresh_dropsEverySearchPage() {
    service.search("DE", 1);
    service.search("FR", 1);
    redis.awaitStored(key("universities:DE:1"));
    redis.awaitStored(key("universities:FR:1"));

    service.refresh();
    service.search("DE", 1);
    service.search("FR", 1);

    assertThat(upstream.calls()).isEqualTo(4);
  }
}
