package dev.readthrough.bench;

import dev.readthrough.testing.RedisProcess;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The one Redis of a benchmark run. {@link BenchmarkMain} starts it once and hands its URI to every
 * forked JVM as the system property {@value #PROPERTY}; {@code REDIS_URL} names an existing one
 * instead. Run through plain {@code org.openjdk.jmh.Main}, each fork starts its own.
 */
public final class BenchRedis {

  public static final String PROPERTY = "readthrough.bench.redis";

  /**
   * redis-server options of the benchmark's own server: a memory cap, and eviction of the
   * shortest-TTL keys first (the miss cases' 2 s keys) should the cap be reached.
   */
  static final String[] SERVER_ARGS = {"--maxmemory", "2gb", "--maxmemory-policy", "volatile-ttl"};

  private static String uri;
  private static RedisProcess own;

  private BenchRedis() {}

  public static synchronized String uri() {
    if (uri == null) {
      String fromProperty = System.getProperty(PROPERTY);
      String fromEnv = System.getenv("REDIS_URL");
      if (fromProperty != null && !fromProperty.isBlank()) {
        uri = fromProperty;
      } else if (fromEnv != null && !fromEnv.isBlank()) {
        uri = fromEnv;
      } else {
        own = RedisProcess.start(SERVER_ARGS);
        uri = own.uri();
        Runtime.getRuntime().addShutdownHook(new Thread(own::stop, "bench-redis-stop"));
      }
    }
    return uri;
  }

  /** Shuts a client down without Netty's default 2 s quiet period (forks end sooner). */
  public static void shutdown(RedissonClient client) {
    client.shutdown(0, 5, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** A Redisson client with default settings, as each compared library would get it. */
  public static RedissonClient client() {
    Config config = new Config();
    config.useSingleServer().setAddress(uri());
    return Redisson.create(config);
  }
}
