package dev.readthrough.weaver;

import java.util.concurrent.atomic.AtomicBoolean;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;

/**
 * Holds the {@link CacheInterceptor} that woven methods call; until one is installed, woven methods
 * run uncached and one warning is logged.
 */
public final class CacheInterceptors {

  private static final System.Logger LOG = System.getLogger(CacheInterceptors.class.getName());

  private static final CacheInterceptor UNCACHED = new Uncached();

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
        LOG.log(
            System.Logger.Level.WARNING,
            "No Readthrough engine is started: {0} and every other cached method run uncached"
                + " until ReadThroughEngine.start(...) or ReadThroughModule installs one",
            call.getSignature().toShortString());
      }
      return call.proceed();
    }
  }
}
