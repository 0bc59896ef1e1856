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

  /**
   * The leader's exception, kept as thrown: {@code join()} reports a {@code CompletionException}
   * the method itself threw (as a method joining a future does) unwrapped to its cause.
   */
  private volatile @Nullable Throwable failure;

  /** The store of the leader's result, while Redis has not confirmed it; null if none. */
  volatile @Nullable CompletableFuture<Void> store;

  /**
   * Waits, up to {@code timeoutNanos}, for a store already sent to Redis, so that a delete or
   * write issued next reaches Redis after it and is not overtaken by it.
   */
  void awaitStore(long timeoutNanos) {
    CompletableFuture<Void> pending = store;
    if (pending == null) {
      return;
    }
    try {
      pending.get(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // a failed or hung store leaves nothing behind that the next command could lose to
    }
  }

  /**
   * Whether {@code thread} is this load's leader and the load has not finished: a call of the
   * same key from there is the method calling itself, which must run rather than wait for itself.
   * A finished load, kept while its store is under way, is shared with its own thread too.
   */
  boolean isRunningIn(Thread thread) {
    return leader == thread && !outcome.isDone();
  }

  void succeed(@Nullable Object value) {
    outcome.complete(value);
  }

  void fail(Throwable error) {
    failure = error;
    outcome.completeExceptionally(error);
  }

  /** Waits for the leader, as long as it runs, and returns its result or throws its exception. */
  @Nullable Object await() throws Throwable {
    try {
      return outcome.join();
    } catch (CompletionException e) {
      Throwable thrown = failure;
      if (thrown != null) {
        throw thrown;
      }
      throw e.getCause() == null ? e : e.getCause();
    }
  }
}
