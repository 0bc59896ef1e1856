package dev.readthrough.reliability;

import static org.awaitility.Awaitility.await;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import java.time.Duration;

/** Engine settings the reliability tests share: the defaults, with a quicker probe. */
public final class Engines {

  /** How long an unavoidable wait (a probe finding Redis back, an asynchronous store) may take. */
  public static final Duration PATIENCE = Duration.ofSeconds(20);

  private Engines() {}

  /**
   * The documented defaults (200 ms per Redis call, breaker opens after 3 consecutive failures)
   * with the probe every 100 ms, so that recoveries are quick to observe.
   */
  public static ReadThroughConfig.Builder config(String redisUri) {
    return ReadThroughConfig.builder()
        .redisUri(redisUri)
        .operationTimeout(Duration.ofMillis(200))
        .failureThreshold(3)
        .probeInterval(Duration.ofMillis(100));
  }

  /**
   * For tests about what is decoded, shared or stored rather than about timing: a 2 s timeout, so
   * that a garbage-collection pause on a busy build machine never turns a read into a miss.
   */
  public static ReadThroughConfig.Builder steady(String redisUri) {
    return config(redisUri).operationTimeout(Duration.ofSeconds(2));
  }

  /**
   * Starts an engine and waits until it uses Redis: on a busy machine the first connection of a
   * cold JVM can outlast the connect timeout, and the engine then starts without Redis (by design)
   * and connects moments later through its probe.
   */
  public static ReadThroughEngine startConnected(ReadThroughConfig config) {
    ReadThroughEngine engine = ReadThroughEngine.start(config);
    try {
      await().atMost(PATIENCE).until(engine::isRedisAvailable);
    } catch (RuntimeException | Error e) {
      engine.close();
      throw e;
    }
    return engine;
  }
}
