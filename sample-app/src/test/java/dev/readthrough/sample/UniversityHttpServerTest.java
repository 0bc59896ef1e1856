package dev.readthrough.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Injector;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.TestRedis;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UniversityHttpServerTest {

  private static StoredKeys redis;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = new ObjectMapper();
  private ReadThroughEngine engine;
  private UniversityApi upstream;
  private UniversityHttpServer server;

  @BeforeAll
  static void connect() {
    redis = new StoredKeys();
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @BeforeEach
  void start() throws IOException {
    String prefix = "sample-test-" + UUID.randomUUID().toString().substring(0, 8);
    Injector injector = SampleApp.injector(config(prefix), Duration.ZERO);
    engine = injector.getInstance(ReadThroughEngine.class);
    upstream = injector.getInstance(UniversityApi.class);
    server =
        UniversityHttpServer.start(
            injector.getInstance(UniversityService.class),
            upstream,
            engine,
            injector.getInstance(MeterRegistry.class),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /**
   * The shared test Redis with a key prefix of the test's own. The operation timeout is generous
   * because a cold JVM can take longer than the 200 ms default for its first connection, and an
   * engine that starts without Redis would run these calls uncached.
   */
  private static ReadThroughConfig config(String keyPrefix) {
    return ReadThroughConfig.builder()
        .redisUri(TestRedis.uri())
        .keyPrefix(keyPrefix)
        .operationTimeout(Duration.ofSeconds(2))
        .build();
  }

  @AfterEach
  void stop() {
    server.close();
    engine.invalidateAll("universities");
    engine.invalidateAll("university");
    engine.close();
  }

  @Test
  void search_answersMissThenHit() throws Exception {
    HttpResponse<String> first = get("/universities?country=DE&page=1");
    redis.awaitStored(key("universities:DE:1"));
    HttpResponse<String> second = get("/universities?country=DE&page=1");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("X-Cache")).contains("MISS");
    assertThat(json.readTree(first.body()).get("fromCache").asBoolean()).isFalse();
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("X-Cache")).contains("HIT");
    JsonNode body = json.readTree(second.body());
    assertThat(body.get("fromCache").asBoolean()).isTrue();
    assertThat(body.get("universities")).hasSize(UniversityApi.PAGE_SIZE);
    assertThat(body.get("universities")).isEqualTo(json.readTree(first.body()).get("universities"));
    assertThat(upstream.calls()).isEqualTo(1);
  }

  @Test
  void metrics_showTheEnginesMeters_countingTheCallsServed() throws Exception {
    get("/universities/gb-oxford");
    redis.awaitStored(key("university:gb-oxford"));
    get("/universities/gb-oxford");

    HttpResponse<String> metrics = get("/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    JsonNode meters = json.readTree(metrics.body()).get("meters");
    assertThat(
            meter(meters, "cache.gets", "university", "result", "hit")
                .at("/values/count")
                .asDouble())
        .isEqualTo(1);
    assertThat(
            meter(meters, "cache.gets", "university", "result", "miss")
                .at("/values/count")
                .asDouble())
        .isEqualTo(1);
    assertThat(meter(meters, "cache.puts", "university", null, null).at("/values/count").asDouble())
        .isEqualTo(1);
    assertThat(
            meter(meters, "readthrough.load", "university", "result", "success")
                .get("type")
                .asText())
        .isEqualTo("timer");
    assertThat(get("/metrics?x=1").statusCode()).isEqualTo(404);
  }

  private static JsonNode meter(
      JsonNode meters, String name, String cache, String tag, String value) {
    for (JsonNode meter : meters) {
      if (meter.get("name").asText().equals(name)
          && meter.at("/tags/cache").asText().equals(cache)
          && (tag == null || meter.at("/tags/" + tag).asText().equals(value))) {
        return meter;
      }
    }
    throw new AssertionError("no meter " + name + " for " + cache + " in " + meters);
  }

  @Test
  void search_lowerCaseCountry_sharesTheEntry() throws Exception {
    get("/universities?country=DE");
    redis.awaitStored(key("universities:DE:1"));

    assertThat(get("/universities?country=de&page=1").headers().firstValue("X-Cache"))
        .contains("HIT");
  }

  @Test
  void byId_answersMissThenHit() throws Exception {
    HttpResponse<String> first = get("/universities/gb-oxford");
    redis.awaitStored(key("university:gb-oxford"));
    HttpResponse<String> second = get("/universities/gb-oxford");

    assertThat(first.headers().firstValue("X-Cache")).contains("MISS");
    assertThat(second.headers().firstValue("X-Cache"))
        .hasValueSatisfying(cache -> assertThat(cache).isIn("HIT", "LOCAL"));
    assertThat(json.readTree(second.body()).at("/university/name").asText())
        .isEqualTo("University of Oxford");
  }

  @Test
  void byId_heldLocally_answersLocal_andAfterAChangeInRedisHitsRedisAgain() throws Exception {
    get("/universities/gb-oxford");
    redis.awaitStored(key("university:gb-oxford"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              get("/universities/gb-oxford");
              return engine.isHeldLocally(UniversityService.BY_ID_CACHE, "gb-oxford");
            });
    long localHits = engine.stats(UniversityService.BY_ID_CACHE).localHits();

    HttpResponse<String> local = get("/universities/gb-oxford");

    assertThat(local.headers().firstValue("X-Cache")).contains("LOCAL");
    JsonNode body = json.readTree(local.body());
    assertThat(body.get("local").asBoolean()).isTrue();
    assertThat(body.get("fromCache").asBoolean()).isTrue();
    assertThat(engine.stats(UniversityService.BY_ID_CACHE).localHits()).isEqualTo(localHits + 1);

    redis.delete(key("university:gb-oxford"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !engine.isHeldLocally(UniversityService.BY_ID_CACHE, "gb-oxford"));
    HttpResponse<String> again = get("/universities/gb-oxford");
    assertThat(again.headers().firstValue("X-Cache")).contains("MISS");
    assertThat(json.readTree(again.body()).get("local").asBoolean()).isFalse();
  }

  @Test
  void byId_unknown_is404AndNeverCached() throws Exception {
    HttpResponse<String> first = get("/universities/xx-unknown");
    HttpResponse<String> second = get("/universities/xx-unknown");

    assertThat(first.statusCode()).isEqualTo(404);
    assertThat(second.statusCode()).isEqualTo(404);
    assertThat(second.headers().firstValue("X-Cache")).contains("MISS");
  }

  @Test
  void refresh_makesTheNextSearchAMiss() throws Exception {
    get("/universities?country=FR");
    redis.awaitStored(key("universities:FR:1"));

    HttpResponse<String> refresh =
        client.send(
            HttpRequest.newBuilder(server.uri().resolve("/refresh"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(refresh.statusCode()).isEqualTo(200);
    assertThat(get("/universities?country=FR").headers().firstValue("X-Cache")).contains("MISS");
  }

  @Test
  void search_badParameters_are400() throws Exception {
    assertThat(get("/universities").statusCode()).isEqualTo(400);
    assertThat(get("/universities?country=Germany").statusCode()).isEqualTo(400);
    assertThat(get("/universities?country=DE&page=0").statusCode()).isEqualTo(400);
    assertThat(upstream.calls()).isZero();
  }

  @Test
  void concurrentRequests_anotherKeyIsAnsweredWhileOneIsBlockedUpstream() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    upstream.beforeAnswer = blockOn("search DE 1", entered, release);
    try {
      CompletableFuture<HttpResponse<String>> blocked = getAsync("/universities?country=DE");
      assertThat(entered.await(10, TimeUnit.SECONDS)).as("DE reached the upstream").isTrue();

      HttpResponse<String> other = get("/universities?country=FR");

      assertThat(other.statusCode()).isEqualTo(200);
      assertThat(other.headers().firstValue("X-Cache")).contains("MISS");
      assertThat(blocked).as("DE is still held in the upstream").isNotDone();
      release.countDown();
      assertThat(blocked.get(10, TimeUnit.SECONDS).headers().firstValue("X-Cache"))
          .contains("MISS");
    } finally {
      release.countDown();
    }
  }

  @Test
  void requestSharingAnotherRequestsLoad_isNotAMiss() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    upstream.beforeAnswer = blockOn("search DE 1", entered, release);
    try {
      CompletableFuture<HttpResponse<String>> leader = getAsync("/universities?country=DE");
      assertThat(entered.await(10, TimeUnit.SECONDS)).as("DE reached the upstream").isTrue();
      CompletableFuture<HttpResponse<String>> follower = getAsync("/universities?country=DE");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> engine.stats("universities").shared() == 1);
      release.countDown();

      assertThat(leader.get(10, TimeUnit.SECONDS).headers().firstValue("X-Cache")).contains("MISS");
      HttpResponse<String> shared = follower.get(10, TimeUnit.SECONDS);
      assertThat(shared.headers().firstValue("X-Cache")).contains("HIT");
      assertThat(json.readTree(shared.body()).get("fromCache").asBoolean()).isTrue();
      assertThat(upstream.calls()).isEqualTo(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void trailingSlash_saysAnIdIsMissing_notTheCountryError() throws Exception {
    HttpResponse<String> response = get("/universities/");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(error(response))
        .contains("no university id")
        .contains("/universities/de-tum")
        .doesNotContain("two-letter");
    assertThat(upstream.calls()).isZero();
  }

  @Test
  void overlongId_is400_withoutEchoingIt() throws Exception {
    HttpResponse<String> response = get("/universities/" + "a".repeat(100_000));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).hasSizeLessThan(300);
    assertThat(error(response)).contains("100000 characters").contains("at most 64");
    assertThat(upstream.calls()).isZero();
  }

  @Test
  void idWithOtherCharacters_is400() throws Exception {
    HttpResponse<String> response = get("/universities/de%20tum");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response)).contains("letters, digits and '-'");
  }

  @Test
  void duplicateParameter_is400NamingIt() throws Exception {
    HttpResponse<String> response = get("/universities?country=DE&country=FR");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response)).contains("country is given more than once");
    assertThat(upstream.calls()).isZero();
  }

  @Test
  void unknownParameter_is400NamingIt() throws Exception {
    HttpResponse<String> response = get("/universities?contry=DE");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response)).contains("unknown query parameter 'contry'");
  }

  @Test
  void longUnknownParameter_isEchoedShortened() throws Exception {
    HttpResponse<String> response = get("/universities?" + "x".repeat(10_000) + "=1");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).hasSizeLessThan(300);
    assertThat(error(response)).contains("(10000 characters)");
  }

  @Test
  void unknownCountry_saysSo_andIsCached() throws Exception {
    HttpResponse<String> first = get("/universities?country=XX");
    redis.awaitStored(key("universities:XX:1"));
    HttpResponse<String> second = get("/universities?country=XX");

    assertThat(first.statusCode()).isEqualTo(200);
    JsonNode body = json.readTree(first.body());
    assertThat(body.get("universities")).isEmpty();
    assertThat(body.get("note").asText()).contains("no universities are known for country XX");
    assertThat(second.headers().firstValue("X-Cache")).contains("HIT");
    assertThat(upstream.calls()).isEqualTo(1);
  }

  @Test
  void pagePastTheLast_saysSo() throws Exception {
    HttpResponse<String> response = get("/universities?country=DE&page=9");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json.readTree(response.body()).get("note").asText())
        .isEqualTo("page 9 is past the last page of DE");
  }

  @Test
  void pageFound_hasNoNote() throws Exception {
    assertThat(json.readTree(get("/universities?country=DE").body()).has("note")).isFalse();
  }

  /** A hook that holds the upstream call for {@code question} until {@code release} opens. */
  private static Consumer<String> blockOn(
      String question, CountDownLatch entered, CountDownLatch release) {
    return asked -> {
      if (asked.equals(question)) {
        entered.countDown();
        try {
          release.await(30, TimeUnit.SECONDS); // bounded: a failed test must not hang the build
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  private String error(HttpResponse<String> response) throws IOException {
    return json.readTree(response.body()).get("error").asText();
  }

  private CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
    return client.sendAsync(request(pathAndQuery), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String pathAndQuery) {
    return HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
        .timeout(Duration.ofSeconds(10)) // did not hang; a serial server holds it behind another
        .GET()
        .build();
  }

  private String key(String cacheAndParts) {
    return engine.config().keyPrefix() + ":" + cacheAndParts;
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return client.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofString());
  }
}
