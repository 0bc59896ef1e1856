package dev.readthrough.runtime.internal.call;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;

/**
 * An {@code @Invalidate} method: after it returns normally (or, returning a future, once that
 * completes normally), removes what its invalidations name, with the arguments as they are then.
 *
 * @param async whether the method returns a future; the returned future then completes after the
 *     invalidation
 */
public record InvalidatePlan(
    Method method,
    String description,
    List<Invalidation> invalidations,
    RequestPath path,
    boolean async)
    implements Plan {

  @Override
  public @Nullable Object handle(ProceedingJoinPoint call) throws Throwable {
    Object result = call.proceed();
    if (!async || result == null) {
      run(call.getArgs());
      return result;
    }
    return Futures.afterNormalCompletion(
        (CompletionStage<?>) result, path, value -> run(call.getArgs()));
  }

  private void run(@Nullable Object[] args) {
    for (Invalidation invalidation : invalidations) {
      invalidation.run(args, path, description);
    }
  }

  @Override
  public String keyFor(@Nullable Object[] args) {
    throw new IllegalArgumentException(description + " has no @ReadThrough or @WriteThrough key");
  }
}
