package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.CacheDeclarationException;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import dev.readthrough.weaver.CacheInterceptor;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.reflect.MethodSignature;
import org.jspecify.annotations.Nullable;

/**
 * Hands each woven call to its method's {@link Plan}, parsing the plan on the method's first call
 * and keeping it by join point, the key of the hot path. A declaration that cannot be parsed is
 * kept too, and every call of it fails with the same problems.
 */
public final class CachingInterceptor implements CacheInterceptor {

  private final ReadThroughConfig config;
  private final RequestPath path;
  private final RateLimitedLog log;
  private final ConcurrentHashMap<JoinPoint.StaticPart, Parsed> byJoinPoint =
      new ConcurrentHashMap<>();

  /** Plans by method, shared by validate(), keyFor() and the method's join point. */
  private final ConcurrentHashMap<Method, Plan> byMethod = new ConcurrentHashMap<>();

  private final ConcurrentHashMap<String, CacheCounters> counters = new ConcurrentHashMap<>();

  /** A join point's parse: its plan, or the problems that keep it from having one. */
  private sealed interface Parsed {}

  private record Ready(Plan plan) implements Parsed {}

  private record Refused(CacheDeclarationException problems) implements Parsed {}

  /** Hands each cache's new counters to the metrics binding, before anything counts in them. */
  private final BiConsumer<String, CacheCounters> onFirstUse;

  public CachingInterceptor(
      ReadThroughConfig config,
      RequestPath path,
      RateLimitedLog log,
      BiConsumer<String, CacheCounters> onFirstUse) {
    this.config = config;
    this.path = path;
    this.log = log;
    this.onFirstUse = onFirstUse;
  }

  public CacheCounters counters(String cache) {
    CacheCounters found = counters.get(cache);
    return found != null ? found : counters.computeIfAbsent(cache, this::firstUse);
  }

  private CacheCounters firstUse(String cache) {
    CacheCounters created = new CacheCounters();
    try {
      onFirstUse.accept(cache, created);
    } catch (
        RuntimeException e) { // a registry's failure never fails a call: the cache still counts
      log.warn(
          "meters:" + cache,
          "the meters of cache \""
              + cache
              + "\" could not be registered; its calls are cached and"
              + " counted in stats(), not metered: "
              + e);
    }
    return created;
  }

  public Map<String, CacheCounters> allCounters() {
    return counters;
  }

  @Override
  public @Nullable Object intercept(ProceedingJoinPoint call) throws Throwable {
    return plan(call.getStaticPart()).handle(call);
  }

  /**
   * Answers from the near tier a call whose plan is a {@link ReadPlan} with a local tier; anything
   * else (a join point not parsed yet, a refused declaration, another kind of plan, no copy) is
   * left to {@link #intercept}.
   */
  @Override
  public @Nullable Object localHit(JoinPoint.StaticPart method, long argument) {
    return byJoinPoint.get(method) instanceof Ready ready && ready.plan() instanceof ReadPlan read
        ? read.localHit(argument)
        : NO_LOCAL_HIT;
  }

  /** Returns the plan of a join point, parsing it on its first call. */
  public Plan plan(JoinPoint.StaticPart staticPart) {
    Parsed parsed = byJoinPoint.get(staticPart);
    if (parsed == null) {
      parsed = byJoinPoint.computeIfAbsent(staticPart, this::parse);
    }
    if (parsed instanceof Ready found) {
      return found.plan();
    }
    throw new CacheDeclarationException(((Refused) parsed).problems().problems());
  }

  private Parsed parse(JoinPoint.StaticPart staticPart) {
    MethodSignature signature = (MethodSignature) staticPart.getSignature();
    try {
      return new Ready(
          byMethod.computeIfAbsent(
              signature.getMethod(),
              m ->
                  Plans.parse(
                      m, signature.getParameterNames(), config, this::counters, path, log)));
    } catch (CacheDeclarationException e) {
      return new Refused(e);
    }
  }

  /**
   * Returns the plan of a method outside any call, for up-front validation; a woven call of the
   * same method later uses the same plan.
   */
  public Plan plan(Method method) {
    return byMethod.computeIfAbsent(
        method, m -> Plans.parse(m, null, config, this::counters, path, log));
  }
}
