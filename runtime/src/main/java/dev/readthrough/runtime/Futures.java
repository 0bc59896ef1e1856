package dev.readthrough.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Owns the two rules the plans of async methods share: what a method's failed future failed with,
 * and how an action (a write, an invalidation) follows a future that completed normally.
 */
final class Futures {

  private Futures() {}

  /**
   * The exception a method's future failed with, as the method failed it: a dependent stage reports
   * a failure wrapped in a {@code CompletionException}, which is unwrapped once.
   */
  static Throwable cause(Throwable reported) {
    return reported instanceof CompletionException && reported.getCause() != null
        ? reported.getCause()
        : reported;
  }

  /**
   * Waits up to {@code nanos} for a store whose failure is already accounted for elsewhere, or
   * leaves nothing behind that a next command could lose to: its outcome is not needed, only that
   * Redis has answered it (or will not).
   */
  static void awaitQuietly(CompletableFuture<?> store, long nanos) {
    try {
      store.get(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // failed or hung: the guard has counted and logged it
    }
  }

  /**
   * A future that completes as {@code stage} does, but only after {@code action} ran on the async
   * executor with the value {@code stage} completed with normally. A failed stage runs nothing and
   * fails the returned future with its own exception; an action that throws (a key that cannot be
   * formed) fails it with that exception, as a synchronous call would throw it.
   */
  static CompletableFuture<@Nullable Object> afterNormalCompletion(
      CompletionStage<?> stage, RequestPath path, Consumer<@Nullable Object> action) {
    CompletableFuture<@Nullable Object> done = new CompletableFuture<>();
    stage.whenComplete(
        (value, error) -> {
          if (error != null) {
            done.completeExceptionally(cause(error));
            return;
          }
          path.runAsync(
              () -> {
                try {
                  action.accept(value);
                  done.complete(value);
                } catch (RuntimeException e) {
                  done.completeExceptionally(e);
                }
              });
        });
    return done;
  }
}
