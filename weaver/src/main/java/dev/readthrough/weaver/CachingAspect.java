package dev.readthrough.weaver;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.jspecify.annotations.Nullable;

/**
 * Weaves every method execution annotated with {@code @ReadThrough}, {@code @WriteThrough} or
 * {@code @Invalidate}: calls through {@code this}, static and private methods included.
 *
 * <p>The advice only hands the call to the installed {@link CacheInterceptor}; all parsing and
 * caching happens there, once per method. A {@code @ReadThrough} method of one {@code long} or
 * {@code int} parameter is woven by {@code LocalHits} instead, which hands its calls on the same
 * way after asking for a local hit.
 */
@Aspect
public class CachingAspect {

  @Around(
      "(execution(@dev.readthrough.ReadThrough * *(..))"
          + " || execution(@dev.readthrough.WriteThrough * *(..))"
          + " || execution(@dev.readthrough.Invalidate * *(..)))"
          + " && !within(dev.readthrough.weaver..*)"
          + " && !dev.readthrough.weaver.LocalHits.primitiveKeyed()")
  public @Nullable Object around(ProceedingJoinPoint call) throws Throwable {
    return CacheInterceptors.current().intercept(call);
  }
}
