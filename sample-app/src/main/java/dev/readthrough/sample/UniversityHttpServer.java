package dev.readthrough.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP face of {@link UniversityService}, on the JDK's built-in server:
 *
 * <ul>
 *   <li>{@code GET /universities?country=DE&page=1} — one page of a country's universities
 *   <li>{@code GET /universities/de-tum} — one university, or 404
 *   <li>{@code POST /refresh} — drops every cached search page
 * </ul>
 *
 * <p>Every answer to a {@code GET} carries {@code X-Cache: HIT} or {@code X-Cache: MISS} and says
 * the same in its JSON. A MISS is a request for which the upstream was called: the server compares
 * the upstream's call counter before and after the service call. That is exact because the server
 * handles one request at a time (the JDK server's default: handlers run on its single dispatcher
 * thread). A service that handles requests concurrently would read the engine's per-cache
 * statistics instead, or accept an approximate header. (The JDK server sends the header name as
 * {@code X-cache}; header names are case-insensitive.)
 */
public final class UniversityHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final UniversityService service;
  private final UniversityApi upstream;
  private final ObjectMapper json = new ObjectMapper();

  private UniversityHttpServer(
      HttpServer server, UniversityService service, UniversityApi upstream) {
    this.server = server;
    this.service = service;
    this.upstream = upstream;
  }

  /**
   * Starts serving on {@code address}; port 0 picks a free one.
   *
   * @throws IOException if the address cannot be bound
   */
  public static UniversityHttpServer start(
      UniversityService service, UniversityApi upstream, InetSocketAddress address)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    UniversityHttpServer http = new UniversityHttpServer(server, service, upstream);
    server.createContext("/universities", http::universities);
    server.createContext("/refresh", http::refresh);
    server.createContext(
        "/", exchange -> http.send(exchange, 404, null, Map.of("error", "no such resource")));
    server.setExecutor(null); // one request at a time, which keeps X-Cache exact; see above
    server.start();
    return http;
  }

  /** Returns the address the server listens on, such as {@code http://127.0.0.1:8080}. */
  public URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
  }

  /** Stops accepting requests and closes the listening socket. */
  @Override
  public void close() {
    server.stop(0);
  }

  private void universities(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      send(exchange, 405, null, Map.of("error", "use GET"));
      return;
    }
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/universities") || path.equals("/universities/")) {
      search(exchange);
    } else if (path.startsWith("/universities/")) {
      byId(exchange, path.substring("/universities/".length()));
    } else {
      send(exchange, 404, null, Map.of("error", "no such resource"));
    }
  }

  private void search(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI());
    String country = query.getOrDefault("country", "").toUpperCase(Locale.ROOT);
    if (!country.matches("[A-Z]{2}")) {
      send(
          exchange,
          400,
          null,
          Map.of("error", "country must be a two-letter code, such as ?country=DE"));
      return;
    }
    int page;
    try {
      page = Integer.parseInt(query.getOrDefault("page", "1"));
    } catch (NumberFormatException e) {
      page = 0;
    }
    if (page < 1) {
      send(exchange, 400, null, Map.of("error", "page must be a whole number from 1"));
      return;
    }
    int requestedPage = page;
    Timed<List<University>> answer = timed(() -> service.search(country, requestedPage));
    send(
        exchange,
        200,
        answer.cache(),
        new SearchAnswer(country, page, answer.fromCache, answer.millis(), answer.value));
  }

  private void byId(HttpExchange exchange, String id) throws IOException {
    if (id.isEmpty() || id.contains("/")) {
      send(exchange, 404, null, Map.of("error", "no such resource"));
      return;
    }
    Timed<Optional<University>> answer = timed(() -> service.byId(id));
    if (answer.value.isEmpty()) {
      send(
          exchange,
          404,
          answer.cache(),
          Map.of("error", "no university with id " + id, "fromCache", answer.fromCache));
      return;
    }
    send(
        exchange,
        200,
        answer.cache(),
        new UniversityAnswer(answer.fromCache, answer.millis(), answer.value.get()));
  }

  private void refresh(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      send(exchange, 405, null, Map.of("error", "use POST"));
      return;
    }
    service.refresh();
    send(exchange, 200, null, Map.of("refreshed", "universities"));
  }

  private <T> Timed<T> timed(Supplier<T> call) {
    long callsBefore = upstream.calls();
    long start = System.nanoTime();
    T value = call.get();
    long nanos = System.nanoTime() - start;
    return new Timed<>(value, upstream.calls() == callsBefore, nanos);
  }

  private void send(HttpExchange exchange, int status, @Nullable String cache, Object body)
      throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    if (cache != null) {
      exchange.getResponseHeaders().set("X-Cache", cache);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> parameters = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      parameters.putIfAbsent(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return parameters;
  }

  /** A service call's result, whether the upstream was spared, and how long it took. */
  private record Timed<T>(T value, boolean fromCache, long nanos) {
    Timed {
      Objects.requireNonNull(value, "value");
    }

    String cache() {
      return fromCache ? "HIT" : "MISS";
    }

    double millis() {
      return Math.round(nanos / 100_000.0) / 10.0;
    }
  }

  /** The JSON of {@code GET /universities}. */
  record SearchAnswer(
      String country, int page, boolean fromCache, double millis, List<University> universities) {}

  /** The JSON of {@code GET /universities/{id}}. */
  record UniversityAnswer(boolean fromCache, double millis, University university) {}
}
