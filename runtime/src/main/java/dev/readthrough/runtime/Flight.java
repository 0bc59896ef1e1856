package dev.readthrough.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * One in-progress load of a key in this JVM: the leader runs the method, followers wait for its
 * result or its exception, as {@code ConcurrentHashMap.computeIfAbsent} callers would.
 */
final class Flight {

  final Thread leader = Thread.currentThread();
  private final CompletableFuture<@Nullable Object> outcome = new CompletableFuture<>();

  /** Set when the key is invalidated or written while loading: the load's result is not stored. */
  volatile boolean stale;

  void succeed(@Nullable Object value) {
    outcome.complete(value);
  }

  void fail(Throwable error) {
    outcome.completeExceptionally(error);
  }

  /** Waits for the leader, as long as it runs, and returns its result or throws its exception. */
  @Nullable Object await() throws Throwable {
    try {
      return outcome.join();
    } catch (CompletionException e) {
      throw e.getCause() == null ? e : e.getCause();
    }
  }
}
