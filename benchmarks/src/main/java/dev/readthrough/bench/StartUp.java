package dev.readthrough.bench;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.ReadThroughModule;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Start-up in a fresh JVM, with Redis up: one call per fork, so that every measurement pays class
 * loading, the first connection and whatever the start waits for, as an application's first start
 * does. Run with many forks ({@code -f 10}); the redis-server is started by {@link BenchmarkMain}
 * before any fork, so it is not in the measured time.
 *
 * <p>{@code injector} is {@code Guice.createInjector(new ReadThroughModule(config))}, which starts
 * the engine eagerly; {@code engine} is {@code ReadThroughEngine.start(config)} without Guice;
 * {@code plainRedisson} is {@code Redisson.create} of a client with Redisson's defaults, the
 * baseline an application pays for a Redisson client of its own. The configuration objects are
 * built in the setup, outside the measured time; nothing in the setup touches Redisson, Netty, Kryo
 * or Guice.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(10)
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = 1)
public class StartUp {

  /**
   * How the address names the server's host: as the IP the server listens on, or as {@code
   * localhost}, which a client must resolve first.
   */
  @Param({"ip", "localhost"})
  public String host;

  private String uri;
  private ReadThroughConfig config;
  private ReadThroughEngine engine;
  private RedissonClient client;

  @Setup(Level.Trial)
  public void setUp() {
    uri = BenchRedis.uri();
    if (host.equals("localhost")) {
      uri = uri.replace("://127.0.0.1:", "://localhost:");
    }
    config = ReadThroughConfig.builder().redisUri(uri).keyPrefix("rt").build();
  }

  @Benchmark
  public Object injector() {
    Injector injector = Guice.createInjector(new ReadThroughModule(config));
    engine = injector.getInstance(ReadThroughEngine.class);
    return injector;
  }

  @Benchmark
  public Object engine() {
    engine = ReadThroughEngine.start(config);
    return engine;
  }

  @Benchmark
  public Object plainRedisson() {
    Config plain = new Config();
    plain.useSingleServer().setAddress(uri);
    client = Redisson.create(plain);
    return client;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (engine != null) {
      boolean cached = engine.isRedisAvailable();
      engine.close();
      if (!cached) {
        throw new IllegalStateException(
            "the engine started without Redis: not a start with Redis up");
      }
    }
    if (client != null) {
      BenchRedis.shutdown(client);
    }
  }
}
