package dev.readthrough.weaver;

import org.aspectj.lang.JoinPoint;
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

  /**
   * Answers a call of a {@code @ReadThrough} method whose one parameter is a {@code long} or an
   * {@code int} from this JVM's copy, before any join point exists, or says it cannot. The {@code
   * LocalHits} aspect asks this first; whatever it does not answer goes on to {@link #intercept},
   * which must then handle the call as if this had not been asked. An answer counts as the call's
   * one outcome.
   *
   * @param method the woven method's join point, the same instance on every call of it
   * @param argument the call's argument, an {@code int} widened
   * @return the value the woven method returns to its caller, or {@link #NO_LOCAL_HIT}
   */
  default @Nullable Object localHit(JoinPoint.StaticPart method, long argument) {
    return NO_LOCAL_HIT;
  }

  /** What {@link #localHit} returns when it does not answer the call. Compared by identity. */
  Object NO_LOCAL_HIT = new Object();
}
