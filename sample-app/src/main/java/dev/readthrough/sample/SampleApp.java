package dev.readthrough.sample;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.readthrough.runtime.CacheStats;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.ReadThroughModule;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs the sample: {@code demo} (the default) makes a few calls and prints how long misses and hits
 * take, then exits; {@code serve} answers HTTP on {@code 127.0.0.1:$PORT} (default 8080) until the
 * process is stopped.
 *
 * <p>Redis is the one {@code REDIS_URL} names, or else an embedded redis-server started for the
 * run.
 */
public final class SampleApp {

  /** How long the simulated upstream takes per call. */
  static final Duration UPSTREAM_LATENCY = Duration.ofMillis(300);

  private static final String KEY_PREFIX = "rt";

  /** How long the app waits for the engine's first connection before running uncached. */
  private static final Duration REDIS_WAIT = Duration.ofSeconds(10);

  private SampleApp() {}

  /**
   * Runs the mode named by the first argument.
   *
   * @throws IOException if {@code serve} cannot bind its port
   * @throws InterruptedException if {@code serve} is interrupted
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    String mode = args.length == 0 ? "demo" : args[0].toLowerCase(Locale.ROOT);
    switch (mode) {
      case "demo" -> demo(System.out);
      case "serve" -> serve(System.out);
      default -> {
        System.err.println("usage: SampleApp [demo|serve]   (environment: REDIS_URL, PORT)");
        System.exit(2);
      }
    }
  }

  /** The engine's settings: everything but the Redis URI is the default, spelled out here. */
  static ReadThroughConfig config(String redisUri) {
    return ReadThroughConfig.builder()
        .redisUri(redisUri)
        .keyPrefix(KEY_PREFIX)
        .operationTimeout(Duration.ofMillis(200))
        .build();
  }

  /** Creates the application's injector: the engine's module beside the application's own. */
  static Injector injector(ReadThroughConfig config, Duration upstreamLatency) {
    return Guice.createInjector(new ReadThroughModule(config), new SampleModule(upstreamLatency));
  }

  private static void demo(PrintStream out) {
    try (RedisTarget redis = RedisTarget.fromEnvironment(System.getenv())) {
      out.println("Redis:    " + redis.description());
      out.println(
          "Upstream: simulated university API, " + UPSTREAM_LATENCY.toMillis() + " ms per call");
      Injector injector = injector(config(redis.uri()), UPSTREAM_LATENCY);
      try (ReadThroughEngine engine = injector.getInstance(ReadThroughEngine.class)) {
        awaitRedis(engine, out);
        long leftOver = engine.invalidateAll("universities") + engine.invalidateAll("university");
        if (leftOver > 0) {
          out.println("Removed " + leftOver + " entries left by an earlier run.");
        }
        runCalls(
            out,
            engine,
            injector.getInstance(UniversityService.class),
            injector.getInstance(UniversityApi.class));

        out.println();
        out.println("Keys in Redis (SCAN MATCH " + KEY_PREFIX + ":*):");
        for (String key : redis.scan(KEY_PREFIX + ":*")) {
          out.println("  " + key);
        }
        out.println();
        out.println("Engine statistics:");
        for (Map.Entry<String, CacheStats> cache : engine.stats().entrySet()) {
          CacheStats stats = cache.getValue();
          out.printf(
              "  %-13s hits %d (local %d), misses %d, shared %d, writes %d, errors %d%n",
              cache.getKey(),
              stats.hits(),
              stats.localHits(),
              stats.misses(),
              stats.shared(),
              stats.writes(),
              stats.errors());
        }
      }
    }
  }

  /**
   * Gives the engine a few seconds to reach Redis. The engine never blocks its start on Redis: if
   * the first connection attempt fails (a cold JVM can miss the 200 ms operation timeout), it
   * starts uncached and its background probe connects moments later. The demo waits for that so
   * that its table shows caching rather than the fail-open path; the service would work either way.
   */
  private static void awaitRedis(ReadThroughEngine engine, PrintStream out) {
    long deadline = System.nanoTime() + REDIS_WAIT.toNanos();
    while (!engine.isRedisAvailable() && System.nanoTime() < deadline) {
      try {
        TimeUnit.MILLISECONDS.sleep(50); // polling a condition with a deadline; nothing to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (!engine.isRedisAvailable()) {
      out.println(
          "Redis does not answer: every call runs uncached (the engine fails open)"
              + " until its probe finds Redis.");
    }
  }

  private static void runCalls(
      PrintStream out,
      ReadThroughEngine engine,
      UniversityService service,
      UniversityApi upstream) {
    University renamed =
        new University("de-tum", "TUM Technical University of Munich", "DE", "Munich", 1868);
    List<Call> calls =
        List.of(
            Call.read("search(DE, 1)", "universities", () -> service.search("DE", 1)),
            Call.read("search(DE, 1)", "universities", () -> service.search("DE", 1)),
            Call.read("search(DE, 2)", "universities", () -> service.search("DE", 2)),
            Call.read("search(DE, 2)", "universities", () -> service.search("DE", 2)),
            Call.read("byId(de-tum)", "university", () -> service.byId("de-tum")),
            Call.read("byId(de-tum)", "university", () -> service.byId("de-tum")),
            Call.read("byId(de-tum)", "university", () -> service.byId("de-tum"))
                .after(() -> settle(engine)),
            Call.read("byId(de-tum)", "university", () -> service.byId("de-tum"))
                .after(
                    () ->
                        awaitCondition(
                            () -> engine.isHeldLocally(UniversityService.BY_ID_CACHE, "de-tum"))),
            new Call("save(de-tum, new name)", null, "STORED", () -> service.save(renamed)),
            Call.read("byId(de-tum)", "university", () -> service.byId("de-tum")),
            new Call(
                "refresh()",
                null,
                "CLEARED",
                () -> {
                  service.refresh();
                  return null;
                }),
            Call.read("search(DE, 1)", "universities", () -> service.search("DE", 1)),
            Call.read("search(FR, 1)", "universities", () -> service.search("FR", 1)),
            Call.read("search(FR, 1)", "universities", () -> service.search("FR", 1)));

    out.println();
    out.printf("%-24s %-7s %10s   %s%n", "call", "result", "time", "returned");
    long upstreamBefore = upstream.calls();
    for (Call call : calls) {
      call.before.run();
      String cache = call.cache;
      CacheStats before = cache == null ? CacheStats.empty() : engine.stats(cache);
      long start = System.nanoTime();
      Object returned = call.body.get();
      double millis = (System.nanoTime() - start) / 1e6;
      String result = cache == null ? call.result : outcome(before, engine.stats(cache));
      out.printf(
          Locale.ROOT,
          "%-24s %-7s %7.1f ms   %s%n",
          call.label,
          result,
          millis,
          describe(returned));
    }
    out.println();
    out.println(
        "The upstream answered "
            + (upstream.calls() - upstreamBefore)
            + " of "
            + calls.size()
            + " calls.");
    out.println();
    out.println("MISS     no usable entry in Redis: the method ran and called the upstream");
    out.println("HIT      Redis answered with the stored entry");
    out.println("LOCAL    this JVM's copy answered (localTtlSeconds), with no Redis call; Redis");
    out.println("         drops it the moment the entry changes, by anyone");
    out.println("SHARED   the miss just before was still storing its result: this call got that");
    out.println("         result in-process, with no Redis read and no upstream call");
    out.println("BYPASSED Redis did not answer: the method ran uncached (fail-open)");
  }

  /**
   * Names the one outcome the engine counted for a call, from its cache's statistics before and
   * after it; the demo makes one call at a time, so the difference is that call's alone.
   *
   * @throws IllegalStateException if the statistics changed by other than one outcome
   */
  static String outcome(CacheStats before, CacheStats after) {
    long hits = after.hits() - before.hits();
    long misses = after.misses() - before.misses();
    long shared = after.shared() - before.shared();
    long bypassed = after.bypassed() - before.bypassed();
    if (hits + misses + shared + bypassed != 1) {
      throw new IllegalStateException(
          "expected one counted outcome, got hits "
              + hits
              + ", misses "
              + misses
              + ", shared "
              + shared
              + ", bypassed "
              + bypassed);
    }
    if (hits == 1) {
      return after.localHits() - before.localHits() == 1 ? "LOCAL" : "HIT";
    }
    return misses == 1 ? "MISS" : shared == 1 ? "SHARED" : "BYPASSED";
  }

  private static String describe(@Nullable Object returned) {
    if (returned instanceof List<?> list) {
      return list.size() + " universities";
    }
    if (returned instanceof Optional<?> optional) {
      return optional.map(SampleApp::describe).orElse("nothing");
    }
    if (returned instanceof University university) {
      return university.name();
    }
    return "-";
  }

  private static void serve(PrintStream out) throws IOException, InterruptedException {
    RedisTarget redis = RedisTarget.fromEnvironment(System.getenv());
    out.println("Redis:    " + redis.description());
    Injector injector = injector(config(redis.uri()), UPSTREAM_LATENCY);
    ReadThroughEngine engine = injector.getInstance(ReadThroughEngine.class);
    awaitRedis(engine, out);
    UniversityHttpServer http =
        UniversityHttpServer.start(
            injector.getInstance(UniversityService.class),
            injector.getInstance(UniversityApi.class),
            engine,
            injector.getInstance(MeterRegistry.class),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port(System.getenv("PORT"))));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  http.close();
                  engine.close();
                  redis.close();
                },
                "sample-app-shutdown"));
    out.println("Listening on " + http.uri() + "; stop with Ctrl-C. Try:");
    out.println("  curl -i '" + http.uri() + "/universities?country=DE&page=1'");
    out.println("  curl -i '" + http.uri() + "/universities/de-tum'   (twice: MISS, then LOCAL)");
    out.println("  curl -i -X POST '" + http.uri() + "/refresh'");
    out.println("  curl -s '" + http.uri() + "/metrics'");
    new CountDownLatch(1).await(); // serve until the process is stopped
  }

  private static int port(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return 8080;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("PORT must be a port number: " + value);
  }

  /**
   * Lets the loads under way finish storing, then gives Redis's notice of those stores a moment to
   * arrive (it drops any local copy kept before it), as the pause between two requests of a real
   * client would.
   */
  private static void settle(ReadThroughEngine engine) {
    awaitCondition(() -> engine.loadsInFlight() == 0);
    pause(20);
  }

  /** Waits up to a second for {@code condition}; the demo's next row shows what came of it. */
  private static void awaitCondition(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      pause(2); // polling a condition with a deadline; nothing to wait on
    }
  }

  private static void pause(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One line of the demo: what is called, the cache whose statistics tell its outcome (none for a
   * write or an invalidation, whose result is fixed), the call, and what is done before it, off the
   * clock.
   */
  private record Call(
      String label,
      @Nullable String cache,
      String result,
      Supplier<@Nullable Object> body,
      Runnable before) {
    Call(String label, @Nullable String cache, String result, Supplier<@Nullable Object> body) {
      this(label, cache, result, body, () -> {});
    }

    static Call read(String label, String cache, Supplier<@Nullable Object> body) {
      return new Call(label, cache, "", body);
    }

    /** This call, made after {@code step}. */
    Call after(Runnable step) {
      return new Call(label, cache, result, body, step);
    }
  }
}
