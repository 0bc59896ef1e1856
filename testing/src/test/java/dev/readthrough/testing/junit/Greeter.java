package dev.readthrough.testing.junit;

import dev.readthrough.ReadThrough;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A woven service for the extension's tests; it counts how often its methods really run. */
final class Greeter {

  final AtomicInteger calls = new AtomicInteger();

  @ReadThrough(cache = "greetings", key = "name", ttlSeconds = 60)
  public String greet(String name) {
    calls.incrementAndGet();
    return "hello " + name;
  }

  /** Counted down once {@link #gated} runs. */
  final CountDownLatch entered = new CountDownLatch(1);

  /** What {@link #gated} waits for before it returns. */
  final CountDownLatch gate = new CountDownLatch(1);

  /** A load that lasts until the test opens the gate. */
  @ReadThrough(cache = "gated", key = "name", ttlSeconds = 60)
  public String gated(String name) {
    entered.countDown();
    try {
      if (!gate.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the gate was never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return "hello " + name;
  }

  /** Its result is never cached: a null without {@code cacheNulls}. */
  @ReadThrough(cache = "nothing", key = "name", ttlSeconds = 60)
  public String nothing(String name) {
    calls.incrementAndGet();
    return null;
  }
}
