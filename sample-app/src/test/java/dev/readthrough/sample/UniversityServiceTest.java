package dev.readthrough.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.junit.ReadThroughTest;
import dev.readthrough.testing.junit.TestCaches;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service's caching against a real Redis, through readthrough-testing's extension: an engine
 * with a key prefix of this class's own, and empty caches and counters at zero for each test.
 */
@ReadThroughTest
class UniversityServiceTest {

  private UniversityApi upstream;
  private UniversityService service;

  @BeforeEach
  void newService() {
    upstream = new UniversityApi(Duration.ZERO);
    service = new UniversityService(upstream);
  }

  @Test
  void search_secondCall_isServedFromRedis(TestCaches caches) {
    List<University> first = service.search("DE", 1);
    caches.awaitStored("universities", "DE", 1);
    List<University> second = service.search("DE", 1);

    assertThat(second).isEqualTo(first).hasSize(UniversityApi.PAGE_SIZE);
    assertThat(upstream.calls()).isEqualTo(1);
    caches.assertThat("universities").hasMisses(1).hasHits(1).hasErrors(0);
  }

  @Test
  void search_otherPage_isAnEntryOfItsOwn(TestCaches caches) {
    List<University> page1 = service.search("DE", 1);
    List<University> page2 = service.search("DE", 2);

    assertThat(page2).isNotEmpty().doesNotContainAnyElementsOf(page1);
    assertThat(upstream.calls()).isEqualTo(2);
    caches.assertThat("universities").hasMisses(2).hasHits(0);
  }

  @Test
  void search_key_isReadable(ReadThroughEngine engine) throws NoSuchMethodException {
    String key =
        engine.keyFor(
            UniversityService.class.getMethod("search", String.class, int.class), "DE", 2);

    assertThat(key).isEqualTo(engine.config().keyPrefix() + ":universities:DE:2");
  }

  @Test
  void byId_secondCall_isServedFromRedis(TestCaches caches) {
    Optional<University> first = service.byId("de-tum");
    caches.awaitStored("university", "de-tum");
    Optional<University> second = service.byId("de-tum");

    assertThat(second).isEqualTo(first).isPresent();
    assertThat(upstream.calls()).isEqualTo(1);
    caches.assertThat("university").hasMisses(1).hasHits(1);
  }

  @Test
  void byId_unknownId_isNotCached(TestCaches caches) {
    assertThat(service.byId("xx-unknown")).isEmpty();
    assertThat(service.byId("xx-unknown")).isEmpty();

    assertThat(upstream.calls()).isEqualTo(2);
    assertThat(caches.isStored("university", "xx-unknown")).isFalse();
  }

  @Test
  void save_storesTheNewValue_forById(TestCaches caches) {
    University before = service.byId("nl-tudelft").orElseThrow();
    caches.awaitStored("university", "nl-tudelft");
    University renamed = before.withName("TU Delft");

    service.save(renamed);

    assertThat(service.byId("nl-tudelft")).contains(renamed);
    assertThat(upstream.calls()).as("find, update; the last read is a hit").isEqualTo(2);
    caches.assertThat("university").hasMisses(1).hasHits(1);
  }

  @Test
  void refresh_dropsEverySearchPage(TestCaches caches) {
    service.search("DE", 1);
    service.search("FR", 1);
    caches.awaitStored("universities", "DE", 1);
    caches.awaitStored("universities", "FR", 1);

    service.refresh();
    service.search("DE", 1);
    service.search("FR", 1);

    assertThat(upstream.calls()).isEqualTo(4);
    caches.assertThat("universities").hasMisses(4).hasHits(0);
  }
}
