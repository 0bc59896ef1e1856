package dev.readthrough.weaver;

import java.util.concurrent.atomic.AtomicBoolean;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the {@link CacheInterceptor} that woven methods call; until one is installed, woven methods
 * run uncached and one warning is logged (through SLF4J, as the runtime logs), again after each
 * uninstall.
 */
public final class CacheInterceptors {

  private static final Logger LOG = LoggerFactory.getLogger(CacheInterceptors.class);

  private static final Uncached UNCACHED = new Uncached();

  private static volatile CacheInterceptor current = UNCACHED;

  private CacheInterceptors() {}

  /**
   * Makes {@code interceptor} the one every woven method calls from now on.
   *
   * @throws IllegalStateException if another interceptor is installed; uninstall it first
   */
  public static synchronized void install(CacheInterceptor interceptor) {
    if (interceptor == null) {
      throw new NullPointerException("interceptor");
    }
    if (current != UNCACHED && current != interceptor) {
      throw new IllegalStateException(
          "another Readthrough engine is already installed in this JVM; close it before starting"
              + " a new one");
    }
    current = interceptor;
  }

  /**
   * Removes {@code interceptor} if it is the installed one, so that woven methods run uncached
   * again; does nothing otherwise.
   */
  public static synchronized void uninstall(CacheInterceptor interceptor) {
    if (current == interceptor) {
      UNCACHED.warned.set(false); // calls after close are worth one warning of their own
      current = UNCACHED;
    }
  }

  /** Returns whether an interceptor other than the uncached default is installed. */
  public static boolean isInstalled() {
    return current != UNCACHED;
  }

  static CacheInterceptor current() {
    return current;
  }

  /** Runs every call uncached, warning once that no engine is started. */
  private static final class Uncached implements CacheInterceptor {
    private final AtomicBoolean warned = new AtomicBoolean();

    @Override
    public @Nullable Object intercept(ProceedingJoinPoint call) throws Throwable {
      if (!warned.get() && warned.compareAndSet(false, true)) {
        LOG.warn(
            "No Readthrough engine is started: {} and every other cached method run uncached"
                + " until ReadThroughEngine.start(...) or ReadThroughModule installs one",
            call.getSignature().toShortString());
      }
      return call.proceed();
    }
  }
}
