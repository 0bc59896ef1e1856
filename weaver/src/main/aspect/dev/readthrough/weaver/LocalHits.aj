package dev.readthrough.weaver;

/**
 * Weaves every {@code @ReadThrough} method of one {@code long} or {@code int} parameter, so that a
 * call answered from this JVM's copy allocates nothing and makes no join point.
 *
 * <p>Written in AspectJ's own language, unlike {@link CachingAspect} (which leaves these methods
 * to it), because an annotation-style around advice always makes its join point at the woven
 * method's entry: the join point, its argument array, the boxed argument and, since AspectJ 1.9.21,
 * a {@code ThreadLocal} whose constructor adds to a counter shared by every thread. Here two
 * advices nest at each such method. The outer one is inlined by ajc, binds the argument as the
 * primitive it is and asks {@link CacheInterceptor#localHit} (the join point's static part is a
 * constant); only a call it does not answer proceeds to the inner one, which makes a {@link
 * WovenCall} and hands it to {@link CacheInterceptor#intercept}, exactly once per call, as {@code
 * CachingAspect} does for every other method.
 */
public aspect LocalHits {

  declare precedence: LocalHits, CachingAspect;

  /** The methods this aspect weaves; {@code CachingAspect} leaves them out. */
  public pointcut primitiveKeyed(): longKeyed() || intKeyed();

  // args(long) alone would match an int parameter too, widened: each advice names its type.
  pointcut longKeyed():
      execution(@dev.readthrough.ReadThrough * *(long)) && !within(dev.readthrough.weaver..*);

  pointcut intKeyed():
      execution(@dev.readthrough.ReadThrough * *(int)) && !within(dev.readthrough.weaver..*);

  // Around advice of one aspect nests in the order it is declared: the local-hit check first.

  Object around(long argument): longKeyed() && args(argument) {
    Object hit = CacheInterceptors.current().localHit(thisJoinPointStaticPart, argument);
    if (hit != CacheInterceptor.NO_LOCAL_HIT) {
      return hit;
    }
    return proceed(argument);
  }

  Object around(int argument): intKeyed() && args(argument) {
    Object hit = CacheInterceptors.current().localHit(thisJoinPointStaticPart, argument);
    if (hit != CacheInterceptor.NO_LOCAL_HIT) {
      return hit;
    }
    return proceed(argument);
  }

  Object around(Object self, long argument): longKeyed() && this(self) && args(argument) {
    return WovenCall.intercept(
        thisJoinPointStaticPart, self, argument, a -> proceed(self, ((Long) a).longValue()));
  }

  Object around(long argument): longKeyed() && !this(Object) && args(argument) {
    return WovenCall.intercept(
        thisJoinPointStaticPart, null, argument, a -> proceed(((Long) a).longValue()));
  }

  Object around(Object self, int argument): intKeyed() && this(self) && args(argument) {
    return WovenCall.intercept(
        thisJoinPointStaticPart, self, argument, a -> proceed(self, ((Integer) a).intValue()));
  }

  Object around(int argument): intKeyed() && !this(Object) && args(argument) {
    return WovenCall.intercept(
        thisJoinPointStaticPart, null, argument, a -> proceed(((Integer) a).intValue()));
  }
}
