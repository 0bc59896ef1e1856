package dev.readthrough.runtime.internal.call;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.rules.CacheAnnotation;
import dev.readthrough.rules.DeclarationRules;
import dev.readthrough.rules.TypeModel;
import dev.readthrough.rules.Verdict;
import dev.readthrough.runtime.CacheDeclarationException;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.internal.codec.MethodEntries;
import dev.readthrough.runtime.internal.codec.Unencodable;
import dev.readthrough.runtime.internal.codec.ValueCodec;
import dev.readthrough.runtime.internal.declarations.Declarations;
import dev.readthrough.runtime.internal.keys.EachParameter;
import dev.readthrough.runtime.internal.keys.KeyTemplate;
import dev.readthrough.runtime.internal.near.NearSpec;
import dev.readthrough.runtime.internal.near.NearTier;
import dev.readthrough.runtime.internal.near.Sharing;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link Plan} of a method from what the shared {@link DeclarationRules} found in its
 * annotations: the rules decide whether a declaration is valid and what it means (the same rules
 * the annotation processor applies at build time); this class only turns that meaning into a plan.
 * The one problem it adds is a value type the codec cannot handle.
 */
public final class Plans {

  /** Cache names and key prefixes: readable, no key separator, no SCAN pattern characters. */
  public static final Pattern NAME = DeclarationRules.NAME;

  /** Derived cache names add the parentheses and commas of an overloaded method's signature. */
  public static final Pattern DERIVED_NAME = Pattern.compile("[A-Za-z0-9._\\-/#@$(),]+");

  /** The near-tier part of a read's spec: {@code null} without {@code localTtlSeconds}. */
  private static @Nullable NearSpec near(
      ReadThrough read,
      KeyTemplate key,
      Type valueType,
      CacheCounters stats,
      RequestPath path,
      String description) {
    if (read.localTtlSeconds() <= 0) {
      return null;
    }
    NearTier tier = path.near.tier(key.head(), description);
    if (tier == null) {
      return null;
    }
    return new NearSpec(
        tier,
        read.localTtlSeconds() * 1000,
        Sharing.isImmutable(valueType),
        stats,
        read.refreshAfterSeconds() * 1000);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  private Plans() {}

  /** {@code UserService.findUser(long)}: how messages name a method. */
  public static String describe(Method method) {
    return method.getDeclaringClass().getSimpleName()
        + "."
        + method.getName()
        + Arrays.stream(method.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(",", "(", ")"));
  }

  /**
   * Returns the plan of {@code method}.
   *
   * @param parameterNames names as the weaver recorded them, or {@code null} if unknown
   * @param counters gives the counters of a cache by name
   * @param path the engine's parts the plan handles its calls with
   * @throws CacheDeclarationException listing every problem with the method's annotations
   */
  public static Plan parse(
      Method method,
      String @Nullable [] parameterNames,
      ReadThroughConfig config,
      Function<String, CacheCounters> counters,
      RequestPath path,
      RateLimitedLog log) {
    String description = describe(method);
    @Nullable String[] names = parameterNames(method, parameterNames);
    Verdict<Type> verdict = Declarations.check(method, names);
    if (!verdict.problems().isEmpty()) {
      throw new CacheDeclarationException(verdict.messages());
    }
    ReadThrough read = method.getAnnotation(ReadThrough.class);
    WriteThrough write = method.getAnnotation(WriteThrough.class);
    Invalidate invalidate = method.getAnnotation(Invalidate.class);
    List<String> problems = new ArrayList<>();

    List<Invalidation> invalidations = new ArrayList<>();
    if (invalidate != null) {
      Verdict.Shape<Type> shape = shape(verdict, CacheAnnotation.Kind.INVALIDATE, description);
      String cache = invalidate.cache();
      CacheCounters stats = counters.apply(cache);
      if (invalidate.allEntries()) {
        invalidations.add(new Invalidation.AllEntries(cache, head(config, cache), stats));
      } else {
        KeyTemplate key = template(shape, config, cache, description);
        Verdict.Each<Type> each = shape.each();
        invalidations.add(
            each == null
                ? new Invalidation.OneKey(cache, key, stats)
                : new Invalidation.EachKey(cache, key, each(each), stats));
      }
    }

    Plan plan;
    if (read != null) {
      Verdict.Shape<Type> shape = shape(verdict, CacheAnnotation.Kind.READ_THROUGH, description);
      String cache = read.cache().isEmpty() ? defaultCacheName(method) : read.cache();
      KeyTemplate key = template(shape, config, cache, description);
      long ttl = read.ttlSeconds() * 1000; // at most Integer.MAX_VALUE seconds: no overflow
      boolean async = shape.async();
      Verdict.Each<Type> each = shape.each();
      Type valueType =
          each != null || async ? cached(shape, description) : ValueCodec.valueType(method);
      MethodEntries entries =
          entries(
              "@ReadThrough",
              valueType,
              read.cacheNulls(),
              cache,
              description,
              config,
              log,
              problems);
      CacheCounters stats = counters.apply(cache);
      if (entries == null) {
        throw new CacheDeclarationException(problems);
      }
      ReadSpec spec =
          new ReadSpec(
              description,
              entries,
              stats,
              ttl,
              near(read, key, valueType, stats, path, description),
              read.refreshAfterSeconds() * 1000,
              read.staleIfErrorSeconds() * 1000);
      if (each != null) {
        plan = new BulkReadPlan(method, cache, key, each(each), spec, path, async);
      } else if (async) {
        plan = new AsyncReadPlan(method, cache, key, spec, path);
      } else {
        plan =
            new ReadPlan(method, cache, key, method.getReturnType() == Optional.class, spec, path);
      }
    } else if (write != null) {
      Verdict.Shape<Type> shape = shape(verdict, CacheAnnotation.Kind.WRITE_THROUGH, description);
      String cache = write.cache();
      KeyTemplate key = template(shape, config, cache, description);
      boolean async = shape.async();
      Type valueType = async ? cached(shape, description) : ValueCodec.valueType(method);
      MethodEntries entries =
          entries("@WriteThrough", valueType, false, cache, description, config, log, problems);
      if (entries == null) {
        throw new CacheDeclarationException(problems);
      }
      plan =
          new WritePlan(
              method,
              description,
              cache,
              key,
              write.ttlSeconds() * 1000,
              !async && method.getReturnType() == Optional.class,
              entries,
              counters.apply(cache),
              invalidations,
              path,
              async);
    } else {
      plan =
          new InvalidatePlan(
              method, description, invalidations, path, Plans.isFuture(method.getReturnType()));
    }
    return plan;
  }

  public static boolean isFuture(Class<?> type) {
    return type == java.util.concurrent.CompletableFuture.class
        || type == java.util.concurrent.CompletionStage.class;
  }

  private static String head(ReadThroughConfig config, String cache) {
    return config.keyPrefix() + ":" + cache + ":";
  }

  private static Verdict.Shape<Type> shape(
      Verdict<Type> verdict, CacheAnnotation.Kind kind, String description) {
    Verdict.Shape<Type> shape = verdict.shape(kind);
    if (shape == null) {
      throw new IllegalStateException(
          description + " passed the declaration rules without a shape for " + kind);
    }
    return shape;
  }

  private static Type cached(Verdict.Shape<Type> shape, String description) {
    Type cached = shape.cached();
    if (cached == null) {
      throw new IllegalStateException(
          description + " passed the declaration rules without a cached type");
    }
    return cached;
  }

  /** The key template of a valid annotation: its parts with their accessors resolved. */
  private static KeyTemplate template(
      Verdict.Shape<Type> shape, ReadThroughConfig config, String cache, String description) {
    List<KeyTemplate.Part> parts = new ArrayList<>();
    for (Verdict.KeyPart<Type> part : shape.key()) {
      MethodHandle[] steps = new MethodHandle[part.path().size()];
      for (int i = 0; i < steps.length; i++) {
        steps[i] = handle(part.path().get(i), description);
      }
      parts.add(new KeyTemplate.Part(part.name(), part.parameter(), steps));
    }
    return new KeyTemplate(head(config, cache), description, parts);
  }

  private static EachParameter each(Verdict.Each<Type> each) {
    Verdict.Container shape = each.container();
    Class<?> component =
        shape == Verdict.Container.ARRAY ? ValueCodec.erase(each.element()) : Object.class;
    return new EachParameter(each.parameter(), shape, component);
  }

  /** A getter, record accessor or field the rules resolved, as a method handle. */
  private static MethodHandle handle(TypeModel.Member<Type> member, String description) {
    Object target = member.handle();
    try {
      if (target instanceof Method m) {
        return unreflect(m);
      }
      if (target instanceof RecordComponent c) {
        return unreflect(c.getAccessor());
      }
      if (target instanceof Field f) {
        open(f);
        return MethodHandles.lookup().unreflectGetter(f);
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + target + " for a key of " + description, e);
    }
    throw new IllegalStateException("unknown key path member " + target + " of " + description);
  }

  private static @Nullable MethodEntries entries(
      String annotation,
      Type valueType,
      boolean cacheNulls,
      String cache,
      String description,
      ReadThroughConfig config,
      RateLimitedLog log,
      List<String> problems) {
    try {
      ValueCodec codec =
          codec(description, valueType, config.allowedClasses(), config.maxValueBytes());
      return new MethodEntries(
          codec, valueType, cacheNulls, description, cache, config.maxValueBytes(), log);
    } catch (RuntimeException e) {
      problems.add(
          annotation
              + " on "
              + description
              + ": cannot encode its return type "
              + valueType.getTypeName()
              + ": "
              + e.getMessage());
      return null;
    }
  }

  /**
   * The codec of a method's values, with the classes given to {@code allowClasses(...)}.
   *
   * <p>Those classes never make a call fail. {@code allowClasses} refuses a class the codec cannot
   * take as it is given; should the codec still fail to take one here, together with the classes
   * the return type reaches, the codec is built without the classes at fault (without all of them
   * if no single one is), with one warning for the method: its values that hold such a class are
   * then returned uncached, as any value the codec cannot encode.
   *
   * @throws RuntimeException if the codec cannot take the classes the return type reaches itself: a
   *     declaration problem, reported at the first call
   */
  public static ValueCodec codec(
      String description, Type valueType, List<Class<?>> allowed, int maxValueBytes) {
    RuntimeException failure;
    try {
      return ValueCodec.forType(description, valueType, allowed, maxValueBytes);
    } catch (RuntimeException e) {
      if (allowed.isEmpty()) {
        throw e;
      }
      failure = e;
    }
    List<Class<?>> usable = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (Class<?> c : allowed) {
      String why = Unencodable.whyNotAllowable(c);
      if (why == null) {
        usable.add(c);
      } else {
        refused.add(c.getName() + " (" + why + ")");
      }
    }
    if (!refused.isEmpty()) {
      try {
        ValueCodec codec = ValueCodec.forType(description, valueType, usable, maxValueBytes);
        warnNotAllowed(description, String.join(", ", refused));
        return codec;
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    ValueCodec codec = ValueCodec.forType(description, valueType, List.of(), maxValueBytes);
    warnNotAllowed(
        description,
        allowed.stream().map(Class::getName).collect(Collectors.joining(", "))
            + " (the codec cannot take them: "
            + ValueCodec.firstLine(failure)
            + ")");
    return codec;
  }

  private static void warnNotAllowed(String description, String classes) {
    LOG.warn(
        "{}: these classes given to allowClasses(...) are not allowed in its values, which are"
            + " cached without them; a value holding one is returned uncached: {}",
        description,
        classes);
  }

  /**
   * The cache name of a {@code @ReadThrough} without one: the declaring class's binary name and the
   * method name, plus the parameter types when the name is overloaded, so that no two methods ever
   * share one.
   */
  public static String defaultCacheName(Method method) {
    Class<?> owner = method.getDeclaringClass();
    String name = owner.getName() + "." + method.getName();
    long sameName =
        Arrays.stream(owner.getDeclaredMethods())
            .filter(m -> m.getName().equals(method.getName()) && !m.isSynthetic() && !m.isBridge())
            .count();
    if (sameName > 1) {
      name +=
          Arrays.stream(method.getParameterTypes())
              .map(t -> t.getName().replace('[', '_').replace(';', '_'))
              .collect(Collectors.joining(",", "(", ")"));
    }
    return name;
  }

  private static @Nullable String[] parameterNames(Method method, String @Nullable [] fromWeaver) {
    Parameter[] parameters = method.getParameters();
    @Nullable String[] names = new String[parameters.length];
    for (int i = 0; i < parameters.length; i++) {
      if (fromWeaver != null
          && fromWeaver.length == parameters.length
          && fromWeaver[i] != null
          && !fromWeaver[i].isEmpty()) {
        names[i] = fromWeaver[i];
      } else if (parameters[i].isNamePresent()) {
        names[i] = parameters[i].getName();
      } else {
        names[i] = null;
      }
    }
    return names;
  }

  private static MethodHandle unreflect(Method method) {
    try {
      open(method);
      return MethodHandles.lookup().unreflect(method);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + method + " for a cache key", e);
    }
  }

  private static void open(AccessibleObject member) {
    try {
      member.setAccessible(true);
    } catch (RuntimeException e) {
      // public members of exported packages work without it
    }
  }
}
