package dev.readthrough.runtime.internal.call;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Owns the two rules the plans of async methods share: what a method's failed future failed with,
 * and how an action (a write, an invalidation) follows a future that completed normally.
 */
public final class Futures {

  private Futures() {}

  /**
   * The exception a method's future failed with, as a synchronous follower sharing the load is to
   * see it: a dependent stage reports a failure wrapped in a {@code CompletionException}, which is
   * unwrapped once. The caller of the method's own call sees the failure unchanged instead (see
   * {@link #onCompletion}).
   */
  public static Throwable cause(Throwable reported) {
    return reported instanceof CompletionException && reported.getCause() != null
        ? reported.getCause()
        : reported;
  }

  /**
   * Waits up to {@code nanos} for a store whose failure is already accounted for elsewhere, or
   * leaves nothing behind that a next command could lose to: its outcome is not needed, only that
   * Redis has answered it (or will not).
   */
  public static void awaitQuietly(CompletableFuture<?> store, long nanos) {
    try {
      store.get(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // failed or hung: the guard has counted and logged it
    }
  }

  /**
   * Runs {@code action} once {@code stage} completed, with its value or the exception it reports,
   * unwrapped in no way: completing another future with that exception makes it fail exactly as
   * {@code stage} did. Runs at once on this thread if {@code stage} is already complete, else is
   * dispatched to the async executor ({@link RequestPath#dispatch}): never on the thread that
   * happened to complete the method's future.
   */
  public static void onCompletion(
      CompletionStage<?> stage,
      RequestPath path,
      BiConsumer<@Nullable Object, @Nullable Throwable> action) {
    if (stage instanceof CompletableFuture<?> future && future.isDone()) {
      stage.whenComplete(action);
      return;
    }
    stage.whenComplete((value, error) -> path.dispatch(() -> action.accept(value, error)));
  }

  /**
   * A future that completes as {@code stage} does, but only after {@code action} ran on the async
   * executor with the value {@code stage} completed with normally. A failed stage runs nothing and
   * fails the returned future as it failed; an action that throws (a key that cannot be formed)
   * fails it with that exception, as a synchronous call would throw it.
   */
  public static CompletableFuture<@Nullable Object> afterNormalCompletion(
      CompletionStage<?> stage, RequestPath path, Consumer<@Nullable Object> action) {
    CompletableFuture<@Nullable Object> done = new CompletableFuture<>();
    BiConsumer<@Nullable Object, @Nullable Throwable> then =
        (value, error) -> {
          if (error != null) {
            done.completeExceptionally(error);
            return;
          }
          try {
            action.accept(value);
            done.complete(value);
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          }
        };
    // always dispatched: a write or delete waits on Redis, never on the caller's thread
    stage.whenComplete((value, error) -> path.dispatch(() -> then.accept(value, error)));
    return done;
  }
}
