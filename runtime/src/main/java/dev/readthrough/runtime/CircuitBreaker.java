package dev.readthrough.runtime;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tracks whether Redis is usable. After {@code threshold} consecutive failures it opens: calls
 * stop touching Redis at all until {@link #close()} is called by the probe that found Redis back.
 */
final class CircuitBreaker {

  private final int threshold;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile boolean open;
  private final Runnable onOpen;

  CircuitBreaker(int threshold, Runnable onOpen) {
    this.threshold = threshold;
    this.onOpen = onOpen;
  }

  /** Whether calls may use Redis now. */
  boolean isClosed() {
    return !open;
  }

  void recordSuccess() {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
  }

  void recordFailure() {
    if (consecutiveFailures.incrementAndGet() >= threshold) {
      open();
    }
  }

  /** Opens the breaker at once, as when the engine starts while Redis is down. */
  void open() {
    boolean wasOpen;
    synchronized (this) {
      wasOpen = open;
      open = true;
    }
    if (!wasOpen) {
      onOpen.run();
    }
  }

  /** Closes the breaker after a probe succeeded. */
  void close() {
    consecutiveFailures.set(0);
    open = false;
  }
}
