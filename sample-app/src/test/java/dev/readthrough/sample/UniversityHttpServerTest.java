package dev.readthrough.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Injector;
import dev.readthrough.runtime.ReadThroughEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UniversityHttpServerTest {

  private static StoredKeys redis;
  private final HttpClient client = HttpClient.newHttpClient();
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
    Injector injector = SampleApp.injector(UniversityServiceTest.config(prefix), Duration.ZERO);
    engine = injector.getInstance(ReadThroughEngine.class);
    upstream = injector.getInstance(UniversityApi.class);
    server =
        UniversityHttpServer.start(
            injector.getInstance(UniversityService.class),
            upstream,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
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
    assertThat(second.headers().firstValue("X-Cache")).contains("HIT");
    assertThat(json.readTree(second.body()).at("/university/name").asText())
        .isEqualTo("University of Oxford");
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

  private String key(String cacheAndParts) {
    return engine.config().keyPrefix() + ":" + cacheAndParts;
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    URI uri = server.uri().resolve(pathAndQuery);
    return client.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
