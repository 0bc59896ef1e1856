package dev.readthrough.reliability;

import dev.readthrough.ReadThrough;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;

/**
 * A {@code main} that starts an engine, makes cached calls and returns without {@code close()}:
 * started as a second JVM by {@link JvmExitTest}, which expects it to exit by itself.
 */
public final class NoCloseChild {

  private NoCloseChild() {}

  static final class Greeter {
    @ReadThrough(cache = "greetings", key = "name", ttlSeconds = 60)
    String greet(String name) {
      return "hello " + name;
    }
  }

  /** Arguments: the Redis URI. */
  public static void main(String[] args) {
    ReadThroughEngine engine =
        ReadThroughEngine.start(ReadThroughConfig.builder().redisUri(args[0]).build());
    Greeter greeter = new Greeter();
    greeter.greet("jvm");
    greeter.greet("jvm");
    System.out.println("AVAILABLE " + engine.isRedisAvailable());
    System.out.println("RETURNING");
  }
}
