package dev.readthrough.sample;

import dev.readthrough.testing.RedisProcess;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

/**
 * The Redis the sample uses: the one {@code REDIS_URL} names, or else a redis-server of its own on
 * a free loopback port (the binary shipped in the {@code embedded-redis} jar), stopped again by
 * {@link #close()}.
 */
final class RedisTarget implements AutoCloseable {

  private final String uri;
  private final String description;
  private final @Nullable RedisProcess embedded;

  private RedisTarget(String uri, String description, @Nullable RedisProcess embedded) {
    this.uri = uri;
    this.description = description;
    this.embedded = embedded;
  }

  /** Uses {@code REDIS_URL} from {@code environment} if set, else starts an embedded server. */
  static RedisTarget fromEnvironment(Map<String, String> environment) {
    String url = environment.get("REDIS_URL");
    if (url != null && !url.isBlank()) {
      return new RedisTarget(url, redact(url) + " (from REDIS_URL)", null);
    }
    RedisProcess process = RedisProcess.start();
    return new RedisTarget(
        process.uri(),
        "embedded redis-server 127.0.0.1:" + process.port() + " (no REDIS_URL given)",
        process);
  }

  /** Returns the URI to connect with; it may hold a password. */
  String uri() {
    return uri;
  }

  /** Says which Redis this is, without credentials. */
  String description() {
    return description;
  }

  /**
   * Lists the keys matching a glob pattern with SCAN (never KEYS), sorted, through a short-lived
   * client of its own: the engine exposes no connection, and needs none to be shared.
   */
  List<String> scan(String pattern) {
    RedissonClient client = Redisson.create(clientConfig(uri));
    try {
      List<String> keys = new ArrayList<>();
      client
          .getKeys()
          .getKeys(KeysScanOptions.defaults().pattern(pattern).chunkSize(100))
          .forEach(keys::add);
      keys.sort(null);
      return keys;
    } finally {
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /** Stops the embedded server, if this target started one. */
  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
  }

  private static Config clientConfig(String uri) {
    URI parsed = URI.create(uri);
    Config config = new Config();
    int port = parsed.getPort() == -1 ? 6379 : parsed.getPort();
    SingleServerConfig server =
        config
            .useSingleServer()
            .setAddress(parsed.getScheme() + "://" + parsed.getHost() + ":" + port)
            .setConnectionMinimumIdleSize(1)
            .setConnectionPoolSize(2);
    String userInfo = parsed.getUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        server.setPassword(userInfo);
      } else {
        if (colon > 0) {
          server.setUsername(userInfo.substring(0, colon));
        }
        server.setPassword(userInfo.substring(colon + 1));
      }
    }
    String path = parsed.getPath();
    if (path != null && path.length() > 1) {
      server.setDatabase(Integer.parseInt(path.substring(1)));
    }
    return config;
  }

  private static String redact(String uri) {
    return uri.replaceAll("(rediss?://)[^@/]*@", "$1***@");
  }
}
