package dev.readthrough.sample;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.readthrough.runtime.ReadThroughEngine;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of {@link UniversityService}, on the JDK's built-in server:
 *
 * <ul>
 *   <li>{@code GET /universities?country=DE&page=1} — one page of a country's universities
 *   <li>{@code GET /universities/de-tum} — one university, or 404
 *   <li>{@code POST /refresh} — drops every cached search page
 *   <li>{@code GET /metrics} — the engine's meters ({@code cache.*}, {@code readthrough.*}) as JSON
 * </ul>
 *
 * <p>Requests are served concurrently by a fixed pool of {@value #THREADS} threads. Every answer to
 * a {@code GET} that reached the service carries {@code X-Cache: MISS}, {@code HIT} or {@code
 * LOCAL}, and says whether the upstream was spared in its JSON ({@code fromCache}). A MISS is a
 * request whose own thread called the upstream ({@link UniversityApi#callsOnThisThread()}), which
 * stays exact however many requests run at once. A LOCAL is a {@code byId} request that did not
 * call the upstream and found this JVM holding a copy of the entry as it came in ({@link
 * ReadThroughEngine#isHeldLocally}): that copy answered with no Redis call, unless Redis dropped it
 * in the microseconds between the look and the call. A HIT is any other: Redis answered, or the
 * request waited for another request's load of the same key that was under way in this JVM and
 * received its result (the engine counts those as {@code shared} in its statistics).
 *
 * <p>Bad requests are refused with 400 and a short JSON message that names what is wrong, and never
 * echoes more than {@value #ECHO_LIMIT} characters of what was sent.
 */
public final class UniversityHttpServer implements AutoCloseable {

  /** How many requests are served at once; more wait for a thread. */
  static final int THREADS = 16;

  /** The longest university id a request may give. */
  static final int MAX_ID_LENGTH = 64;

  /** The most characters of a caller's input that an error message repeats. */
  static final int ECHO_LIMIT = 40;

  private static final Logger LOG = LoggerFactory.getLogger(UniversityHttpServer.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]+");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final String SEARCH_EXAMPLE = "/universities?country=DE";
  private static final String ID_EXAMPLE = "/universities/de-tum";

  private final HttpServer server;
  private final ExecutorService threads;
  private final UniversityService service;
  private final UniversityApi upstream;
  private final ReadThroughEngine engine;
  private final MeterRegistry meters;
  private final ObjectMapper json = new ObjectMapper();

  private UniversityHttpServer(
      HttpServer server,
      ExecutorService threads,
      UniversityService service,
      UniversityApi upstream,
      ReadThroughEngine engine,
      MeterRegistry meters) {
    this.server = server;
    this.threads = threads;
    this.service = service;
    this.upstream = upstream;
    this.engine = engine;
    this.meters = meters;
  }

  /**
   * Starts serving on {@code address}; port 0 picks a free one.
   *
   * @throws IOException if the address cannot be bound
   */
  public static UniversityHttpServer start(
      UniversityService service,
      UniversityApi upstream,
      ReadThroughEngine engine,
      MeterRegistry meters,
      InetSocketAddress address)
      throws IOException {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(meters, "meters");
    HttpServer server = HttpServer.create(address, 0);
    ExecutorService threads = Executors.newFixedThreadPool(THREADS, new RequestThreads());
    UniversityHttpServer http =
        new UniversityHttpServer(server, threads, service, upstream, engine, meters);
    server.createContext("/universities", http.guarded(http::universities));
    server.createContext("/refresh", http.guarded(http::refresh));
    server.createContext("/metrics", http.guarded(http::metrics));
    server.createContext(
        "/",
        http.guarded(
            exchange -> {
              throw new Refusal(404, "no such resource; try " + SEARCH_EXAMPLE);
            }));
    server.setExecutor(threads);
    server.start();
    return http;
  }

  /** Returns the address the server listens on, such as {@code http://127.0.0.1:8080}. */
  public URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
  }

  /**
   * Stops accepting requests, closes the listening socket, and stops the request threads: those
   * still serving a request get a few seconds to finish, then are interrupted.
   */
  @Override
  public void close() {
    server.stop(0);
    threads.shutdown();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** One resource's handling, which may refuse the request by throwing {@link Refusal}. */
  private interface Resource {
    void handle(HttpExchange exchange) throws IOException;
  }

  /**
   * Turns a {@link Refusal} into its status and message, and any other failure of the service into
   * a 500 that says no more than that; the exchange is always answered and closed.
   */
  private HttpHandler guarded(Resource resource) {
    return exchange -> {
      try (exchange) {
        try {
          resource.handle(exchange);
        } catch (Refusal refusal) {
          send(exchange, refusal.status, null, Map.of("error", refusal.getMessage()));
        } catch (RuntimeException e) {
          LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
          send(exchange, 500, null, Map.of("error", "the service failed; see its log"));
        }
      }
    };
  }

  private void universities(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      throw new Refusal(405, "use GET");
    }
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/universities")) {
      search(exchange);
    } else if (path.equals("/universities/")) {
      throw new Refusal(
          404,
          "no university id after /universities/: ask for one university with "
              + ID_EXAMPLE
              + ", or search with "
              + SEARCH_EXAMPLE);
    } else if (path.startsWith("/universities/")) {
      byId(exchange, path.substring("/universities/".length()));
    } else {
      throw new Refusal(404, "no such resource; try " + SEARCH_EXAMPLE);
    }
  }

  private void search(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI(), Set.of("country", "page"));
    String given = query.get("country");
    if (given == null) {
      throw new Refusal(400, "country is missing: search with " + SEARCH_EXAMPLE);
    }
    String country = given.toUpperCase(Locale.ROOT);
    if (!COUNTRY.matcher(country).matches()) {
      throw new Refusal(400, "country must be a two-letter code, such as " + SEARCH_EXAMPLE);
    }
    int page = page(query.getOrDefault("page", "1"));
    Timed<List<University>> answer = timed(() -> service.search(country, page), false);
    String note = answer.value.isEmpty() ? emptyNote(country, page) : null;
    send(
        exchange,
        200,
        answer.cache(),
        new SearchAnswer(country, page, answer.fromCache, answer.millis(), answer.value, note));
  }

  /**
   * Says why a search page is empty. An empty page is cached like any other (see {@link
   * UniversityService#search}); page 1 tells an unknown country from a page past the last.
   */
  private String emptyNote(String country, int page) {
    if (page == 1 || service.search(country, 1).isEmpty()) {
      return "no universities are known for country "
          + country
          + "; this answer is cached like any other page";
    }
    return "page " + page + " is past the last page of " + country;
  }

  private static int page(String text) {
    if (text.length() <= 9 && text.matches("[0-9]+")) {
      int page = Integer.parseInt(text);
      if (page >= 1) {
        return page;
      }
    }
    throw new Refusal(400, "page must be a whole number from 1 to 999999999");
  }

  private void byId(HttpExchange exchange, String id) throws IOException {
    query(exchange.getRequestURI(), Set.of());
    if (id.length() > MAX_ID_LENGTH) {
      throw new Refusal(
          400,
          "id is "
              + id.length()
              + " characters long; an id has at most "
              + MAX_ID_LENGTH
              + ", such as "
              + ID_EXAMPLE);
    }
    if (id.contains("/")) {
      throw new Refusal(404, "no such resource: ask for one university with " + ID_EXAMPLE);
    }
    if (!ID.matcher(id).matches()) {
      throw new Refusal(400, "an id holds only letters, digits and '-', such as " + ID_EXAMPLE);
    }
    boolean held = engine.isHeldLocally(UniversityService.BY_ID_CACHE, id);
    Timed<Optional<University>> answer = timed(() -> service.byId(id), held);
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
        new UniversityAnswer(answer.fromCache, answer.local, answer.millis(), answer.value.get()));
  }

  private void refresh(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      throw new Refusal(405, "use POST");
    }
    service.refresh();
    send(exchange, 200, null, Map.of("refreshed", "universities"));
  }

  private void metrics(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      throw new Refusal(405, "use GET");
    }
    if (exchange.getRequestURI().getRawQuery() != null
        || !"/metrics".equals(exchange.getRequestURI().getPath())) {
      throw new Refusal(404, "no such resource; try /metrics");
    }
    send(exchange, 200, null, Map.of("meters", MeterSnapshot.of(meters, "cache.", "readthrough.")));
  }

  private <T> Timed<T> timed(Supplier<T> call, boolean heldLocally) {
    long callsBefore = upstream.callsOnThisThread();
    long start = System.nanoTime();
    T value = call.get();
    long nanos = System.nanoTime() - start;
    boolean fromCache = upstream.callsOnThisThread() == callsBefore;
    return new Timed<>(value, fromCache, fromCache && heldLocally, nanos);
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

  /**
   * Decodes the query into one value per name, refusing a parameter this resource does not take and
   * a parameter given more than once.
   */
  private static Map<String, String> query(URI uri, Set<String> known) {
    Map<String, String> parameters = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = decode(eq < 0 ? "" : pair.substring(eq + 1));
      if (!known.contains(name)) {
        throw new Refusal(
            400,
            "unknown query parameter "
                + echo(name)
                + (known.isEmpty()
                    ? "; this resource takes none"
                    : "; this resource takes "
                        + String.join(", ", known.stream().sorted().toList())));
      }
      if (parameters.putIfAbsent(name, value) != null) {
        throw new Refusal(
            400, "query parameter " + name + " is given more than once; give it once");
      }
    }
    return parameters;
  }

  /** Decodes one name or value; the JDK server has already refused malformed escapes. */
  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /** Repeats a caller's text in a message: quoted, and cut to {@value #ECHO_LIMIT} characters. */
  static String echo(String text) {
    if (text.length() <= ECHO_LIMIT) {
      return "'" + text + "'";
    }
    return "'" + text.substring(0, ECHO_LIMIT) + "...' (" + text.length() + " characters)";
  }

  /** A request the server refuses: the status and the message to answer with. */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** Names the request threads and keeps them from holding the JVM alive. */
  private static final class RequestThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "sample-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }

  /**
   * A service call's result, whether the upstream was spared, whether a local copy answered, and
   * how long it took.
   */
  private record Timed<T>(T value, boolean fromCache, boolean local, long nanos) {
    Timed {
      Objects.requireNonNull(value, "value");
    }

    String cache() {
      return local ? "LOCAL" : fromCache ? "HIT" : "MISS";
    }

    double millis() {
      return Math.round(nanos / 100_000.0) / 10.0;
    }
  }

  /**
   * The JSON of {@code GET /universities}; {@code note} (left out when there is nothing to say)
   * explains an empty page.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record SearchAnswer(
      String country,
      int page,
      boolean fromCache,
      double millis,
      List<University> universities,
      @Nullable String note) {}

  /**
   * The JSON of {@code GET /universities/{id}}; {@code local} says this JVM's copy answered, with
   * no Redis call.
   */
  record UniversityAnswer(boolean fromCache, boolean local, double millis, University university) {}
}
