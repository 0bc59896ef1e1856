package dev.readthrough.weaver;

import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;

/**
 * Decides what a woven call does: serve it from the cache, or run it through {@link
 * ProceedingJoinPoint#proceed()} and record the result.
 *
 * <p>An implementation must call {@code proceed()} at most once per call and must let every
 * exception of the woven method propagate unchanged.
 */
@FunctionalInterface
public interface CacheInterceptor {

  /**
   * Handles one call of a method annotated with {@code @ReadThrough}, {@code @WriteThrough} or
   * {@code @Invalidate}.
   *
   * @param call the woven call; {@code call.getStaticPart()} identifies the method and is the same
   *     instance on every call of it
   * @return the value the woven method returns to its caller
   * @throws Throwable exactly what the woven method threw, when it threw
   */
  @Nullable Object intercept(ProceedingJoinPoint call) throws Throwable;
}
