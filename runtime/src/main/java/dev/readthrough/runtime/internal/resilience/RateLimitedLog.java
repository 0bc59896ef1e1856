package dev.readthrough.runtime.internal.resilience;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Logs a given kind of event at most once per interval, counting what it left out. */
public final class RateLimitedLog {

  private final Logger log;
  private final long intervalNanos;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimitedLog(Logger log, long intervalNanos) {
    this.log = log;
    this.intervalNanos = intervalNanos;
  }

  public void warn(String topic, String message) {
    Window window = windows.computeIfAbsent(topic, t -> new Window());
    long now = System.nanoTime();
    long last = window.lastLogged.get();
    if (last != 0 && now - last < intervalNanos) {
      window.suppressed.incrementAndGet();
      return;
    }
    if (!window.lastLogged.compareAndSet(last, now == 0 ? 1 : now)) {
      window.suppressed.incrementAndGet();
      return;
    }
    long suppressed = window.suppressed.getAndSet(0);
    if (suppressed > 0) {
      log.warn("{} ({} similar messages suppressed)", message, suppressed);
    } else {
      log.warn(message);
    }
  }

  private static final class Window {
    final AtomicLong lastLogged = new AtomicLong();
    final AtomicLong suppressed = new AtomicLong();
  }
}
