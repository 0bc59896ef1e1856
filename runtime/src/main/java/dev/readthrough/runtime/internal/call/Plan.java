package dev.readthrough.runtime.internal.call;

import java.lang.reflect.Method;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;

/**
 * What one woven method does with its calls, parsed once from its annotations: one plan type per
 * kind of call, each holding only what its kind needs, none of it null, and each handling its own
 * calls. The interceptor only finds the plan and hands it the call.
 */
public sealed interface Plan
    permits ReadPlan, AsyncReadPlan, BulkReadPlan, WritePlan, InvalidatePlan {

  /** The woven method. */
  Method method();

  /** How messages name the method: {@code UserService.find(long)}. */
  String description();

  /**
   * Handles one call.
   *
   * @return what the woven method returns to its caller
   * @throws Throwable exactly what the method threw, when it threw; nothing else
   */
  @Nullable Object handle(ProceedingJoinPoint call) throws Throwable;

  /**
   * The Redis key this method's call with {@code args} uses.
   *
   * @throws IllegalArgumentException if the method has no single key (bulk, invalidate-only)
   */
  String keyFor(@Nullable Object[] args);
}
