package dev.readthrough.weaver;

import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.Signature;
import org.aspectj.lang.reflect.SourceLocation;
import org.aspectj.runtime.internal.AroundClosure;
import org.jspecify.annotations.Nullable;

/**
 * A call of a {@code @ReadThrough} method of one {@code long} or {@code int} parameter that its
 * local-hit advice did not answer, handed to {@link CacheInterceptor#intercept} as the join point
 * AspectJ would have made: it is made only here, off the hit path. {@link #proceed()} runs the
 * method with the call's argument, as often as the interceptor asks and on any thread.
 */
public final class WovenCall implements ProceedingJoinPoint {

  /** The woven method's body, run with the argument it is given. */
  @FunctionalInterface
  public interface Body {
    /** Runs the method; throws exactly what it throws. */
    @Nullable Object run(@Nullable Object argument) throws Throwable;
  }

  private final JoinPoint.StaticPart staticPart;
  private final @Nullable Object self;
  private final @Nullable Object argument;
  private final Body body;

  private WovenCall(
      JoinPoint.StaticPart staticPart,
      @Nullable Object self,
      @Nullable Object argument,
      Body body) {
    this.staticPart = staticPart;
    this.self = self;
    this.argument = argument;
    this.body = body;
  }

  /**
   * Hands the call to the installed interceptor, rethrowing unchanged whatever the method or the
   * interceptor throws.
   *
   * @param self the instance the method runs on, {@code null} for a static method
   * @param argument the call's argument, boxed as its parameter's type
   */
  public static @Nullable Object intercept(
      JoinPoint.StaticPart staticPart, @Nullable Object self, Object argument, Body body) {
    try {
      return CacheInterceptors.current().intercept(new WovenCall(staticPart, self, argument, body));
    } catch (Throwable t) {
      throw WovenCall.<RuntimeException>rethrow(t);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T rethrow(Throwable t) throws T {
    throw (T) t;
  }

  @Override
  public @Nullable Object proceed() throws Throwable {
    return body.run(argument);
  }

  @Override
  public @Nullable Object proceed(@Nullable Object[] args) throws Throwable {
    if (args.length != 1) {
      throw new IllegalArgumentException(
          "proceed(Object[]) on "
              + toShortString()
              + " takes its one argument, got "
              + args.length);
    }
    return body.run(args[0]);
  }

  @Override
  public void set$AroundClosure(AroundClosure arc) {
    throw new UnsupportedOperationException("a WovenCall proceeds through its own body");
  }

  @Override
  public @Nullable Object getThis() {
    return self;
  }

  @Override
  public @Nullable Object getTarget() {
    return self;
  }

  @Override
  public Object[] getArgs() {
    return new Object[] {argument};
  }

  @Override
  public Signature getSignature() {
    return staticPart.getSignature();
  }

  @Override
  public SourceLocation getSourceLocation() {
    return staticPart.getSourceLocation();
  }

  @Override
  public String getKind() {
    return staticPart.getKind();
  }

  @Override
  public JoinPoint.StaticPart getStaticPart() {
    return staticPart;
  }

  @Override
  public String toShortString() {
    return staticPart.toShortString();
  }

  @Override
  public String toLongString() {
    return staticPart.toLongString();
  }

  @Override
  public String toString() {
    return staticPart.toString();
  }
}
