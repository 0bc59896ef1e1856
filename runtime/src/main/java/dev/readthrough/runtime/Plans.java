package dev.readthrough.runtime;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Parses the cache annotations of a method into its {@link Plan}, collecting every problem with
 * the declaration before failing.
 */
final class Plans {

  /** Cache names and key prefixes: readable, no key separator, no SCAN pattern characters. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._\\-/#@$]+");

  /** Derived cache names add the parentheses and commas of an overloaded method's signature. */
  static final Pattern DERIVED_NAME = Pattern.compile("[A-Za-z0-9._\\-/#@$(),]+");

  private Plans() {}

  /** {@code UserService.findUser(long)}: how messages name a method. */
  static String describe(Method method) {
    return method.getDeclaringClass().getSimpleName()
        + "." + method.getName()
        + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
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
  static Plan parse(
      Method method,
      String @Nullable [] parameterNames,
      ReadThroughConfig config,
      Function<String, CacheCounters> counters,
      RequestPath path,
      RateLimitedLog log) {
    List<String> problems = new ArrayList<>();
    String description = describe(method);
    @Nullable String[] names = parameterNames(method, parameterNames);
    ReadThrough read = method.getAnnotation(ReadThrough.class);
    WriteThrough write = method.getAnnotation(WriteThrough.class);
    Invalidate invalidate = method.getAnnotation(Invalidate.class);

    if (read != null && write != null) {
      problems.add("@ReadThrough and @WriteThrough cannot both annotate " + description);
    }
    if (read != null && invalidate != null) {
      problems.add(
          "@ReadThrough and @Invalidate cannot both annotate " + description
              + ": a hit would skip the invalidation");
    }
    if (read == null && write == null && invalidate == null) {
      problems.add(description + " carries no Readthrough annotation");
    }
    boolean async = isFuture(method.getReturnType());
    Type returned = async ? futureValue(method, problems) : method.getGenericReturnType();

    List<Invalidation> invalidations = new ArrayList<>();
    if (invalidate != null) {
      invalidation(invalidate, method, names, config, counters, description, problems, invalidations);
    }

    Plan plan = null;
    if (read != null) {
      String cache = read.cache().isEmpty() ? defaultCacheName(method) : read.cache();
      if (!read.cache().isEmpty()) {
        checkCacheName("@ReadThrough", "cache", cache, description, problems);
      }
      checkStored("@ReadThrough", read.ttlSeconds(), method, description, problems);
      EachParameter each = read.each().isEmpty() ? null : each("@ReadThrough", read.each(), method, names, description, problems);
      KeyTemplate key = keyTemplate("@ReadThrough", read.key(), method, names, config, cache, description, problems,
          each == null ? -1 : each.index());
      Type valueType = each != null ? mapValueType(returned, description, problems)
          : async ? returned : ValueCodec.valueType(method);
      MethodEntries entries = entries("@ReadThrough", method, valueType, read.cacheNulls(), cache, description, config, log, problems);
      if (problems.isEmpty() && key != null && entries != null) {
        CacheCounters stats = counters.apply(cache);
        long ttl = read.ttlSeconds() * 1000;
        if (each != null) {
          plan = new BulkReadPlan(method, description, cache, key, each, ttl, entries, stats, path, async);
        } else if (async) {
          plan = new AsyncReadPlan(method, description, cache, key, ttl, entries, stats, path);
        } else {
          plan = new ReadPlan(method, description, cache, key, ttl, method.getReturnType() == Optional.class,
              entries, stats, path);
        }
      }
    } else if (write != null) {
      checkCacheName("@WriteThrough", "cache", write.cache(), description, problems);
      checkStored("@WriteThrough", write.ttlSeconds(), method, description, problems);
      KeyTemplate key = keyTemplate("@WriteThrough", write.key(), method, names, config, write.cache(), description,
          problems, -1);
      Type valueType = async ? returned : ValueCodec.valueType(method);
      MethodEntries entries = entries("@WriteThrough", method, valueType, false, write.cache(), description, config, log, problems);
      if (problems.isEmpty() && key != null && entries != null) {
        plan = new WritePlan(method, description, write.cache(), key, write.ttlSeconds() * 1000,
            !async && method.getReturnType() == Optional.class, entries, counters.apply(write.cache()),
            invalidations, path, async);
      }
    } else if (problems.isEmpty()) {
      plan = new InvalidatePlan(method, description, invalidations, path, async);
    }
    if (!problems.isEmpty() || plan == null) {
      throw new CacheDeclarationException(problems);
    }
    return plan;
  }

  static boolean isFuture(Class<?> type) {
    return type == CompletableFuture.class || type == CompletionStage.class;
  }

  /** The {@code T} of a method returning {@code CompletableFuture<T>} or {@code CompletionStage<T>}. */
  private static Type futureValue(Method method, List<String> problems) {
    Type type = method.getGenericReturnType();
    if (type instanceof ParameterizedType p && !(p.getActualTypeArguments()[0] instanceof WildcardType)
        && p.getActualTypeArguments()[0] != Void.class) {
      return p.getActualTypeArguments()[0];
    }
    if (method.isAnnotationPresent(ReadThrough.class) || method.isAnnotationPresent(WriteThrough.class)) {
      problems.add((method.isAnnotationPresent(ReadThrough.class) ? "@ReadThrough" : "@WriteThrough") + " on "
          + describe(method) + ": returns " + type.getTypeName() + ", which holds no value to cache;"
          + " declare the value type, as in CompletableFuture<User>");
    }
    return Object.class;
  }

  private static Type mapValueType(Type returned, String description, List<String> problems) {
    if (returned instanceof ParameterizedType p && ValueCodec.erase(p) == Map.class) {
      return p.getActualTypeArguments()[1];
    }
    problems.add("@ReadThrough(each = ...) on " + description + ": returns " + returned.getTypeName()
        + "; a bulk method returns Map<E, V> from element to value");
    return Object.class;
  }

  private static void checkStored(String annotation, long ttlSeconds, Method method, String description, List<String> problems) {
    if (ttlSeconds <= 0) {
      problems.add(annotation + "(ttlSeconds = " + ttlSeconds + ") on " + description + ": ttlSeconds must be positive");
    } else if (ttlSeconds > Integer.MAX_VALUE) {
      problems.add(annotation + "(ttlSeconds = " + ttlSeconds + ") on " + description
          + ": ttlSeconds must be at most " + Integer.MAX_VALUE);
    }
    if (method.getReturnType() == void.class || method.getReturnType() == Void.class) {
      problems.add(annotation + " on " + description + ": a void method returns nothing to cache");
    }
  }

  private static @Nullable MethodEntries entries(String annotation, Method method, Type valueType, boolean cacheNulls,
      String cache, String description, ReadThroughConfig config, RateLimitedLog log, List<String> problems) {
    if (method.getReturnType() == void.class || method.getReturnType() == Void.class || !problems.isEmpty()) {
      return null;
    }
    try {
      ValueCodec codec = ValueCodec.forType(description, valueType, config.allowedClasses(), config.maxValueBytes());
      return new MethodEntries(codec, valueType, cacheNulls, description, cache, config.maxValueBytes(), log);
    } catch (RuntimeException e) {
      problems.add(annotation + " on " + description + ": cannot encode its return type "
          + valueType.getTypeName() + ": " + e.getMessage());
      return null;
    }
  }

  private static void invalidation(Invalidate invalidate, Method method, @Nullable String[] names, ReadThroughConfig config,
      Function<String, CacheCounters> counters, String description, List<String> problems, List<Invalidation> into) {
    checkCacheName("@Invalidate", "cache", invalidate.cache(), description, problems);
    String head = config.keyPrefix() + ":" + invalidate.cache() + ":";
    if (invalidate.allEntries()) {
      if (invalidate.key().length > 0) {
        problems.add("@Invalidate on " + description + ": key and allEntries = true exclude each other");
      }
      if (!invalidate.each().isEmpty()) {
        problems.add("@Invalidate on " + description + ": each and allEntries = true exclude each other");
      }
      if (problems.isEmpty()) {
        into.add(new Invalidation.AllEntries(invalidate.cache(), head, counters.apply(invalidate.cache())));
      }
      return;
    }
    EachParameter each = invalidate.each().isEmpty() ? null
        : each("@Invalidate", invalidate.each(), method, names, description, problems);
    KeyTemplate template = keyTemplate("@Invalidate", invalidate.key(), method, names, config, invalidate.cache(),
        description, problems, each == null ? -1 : each.index());
    if (template == null || !problems.isEmpty()) {
      return;
    }
    CacheCounters stats = counters.apply(invalidate.cache());
    into.add(each == null ? new Invalidation.OneKey(invalidate.cache(), template, stats)
        : new Invalidation.EachKey(invalidate.cache(), template, each, stats));
  }

  /** The {@code each} parameter named by an annotation, or null with a problem added. */
  private static @Nullable EachParameter each(String annotation, String name, Method method, @Nullable String[] names,
      String description, List<String> problems) {
    int index = indexOf(names, name);
    if (index < 0) {
      problems.add(annotation + "(each = \"" + name + "\") on " + description
          + ": names no parameter; parameters are " + Arrays.toString(names));
      return null;
    }
    Class<?> type = method.getParameterTypes()[index];
    Type generic = method.getGenericParameterTypes()[index];
    EachParameter.Shape shape;
    Type element;
    if (type.isArray()) {
      shape = EachParameter.Shape.ARRAY;
      element = type.getComponentType();
    } else if (type == List.class || type == Set.class || type == Collection.class) {
      shape = type == List.class ? EachParameter.Shape.LIST
          : type == Set.class ? EachParameter.Shape.SET : EachParameter.Shape.COLLECTION;
      element = generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
    } else {
      problems.add(annotation + "(each = \"" + name + "\") on " + description + ": parameter '" + name
          + "' is a " + type.getSimpleName() + "; each takes a Collection<E>, List<E>, Set<E> or E[]");
      return null;
    }
    Class<?> elementClass = ValueCodec.erase(element);
    checkKeyType(annotation, name + "[]", elementClass, description, problems);
    return new EachParameter(index, shape, type.isArray() ? type.getComponentType() : Object.class,
        KeyFormat.isValueType(elementClass));
  }

  /**
   * The cache name of a {@code @ReadThrough} without one: the declaring class's binary name and
   * the method name, plus the parameter types when the name is overloaded, so that no two
   * methods ever share one.
   */
  static String defaultCacheName(Method method) {
    Class<?> owner = method.getDeclaringClass();
    String name = owner.getName() + "." + method.getName();
    long sameName = Arrays.stream(owner.getDeclaredMethods())
        .filter(m -> m.getName().equals(method.getName()) && !m.isSynthetic() && !m.isBridge())
        .count();
    if (sameName > 1) {
      name += Arrays.stream(method.getParameterTypes())
          .map(t -> t.getName().replace('[', '_').replace(';', '_'))
          .collect(Collectors.joining(",", "(", ")"));
    }
    return name;
  }

  private static void checkCacheName(
      String annotation, String attribute, @Nullable String cache, String description, List<String> problems) {
    if (cache == null || cache.isEmpty()) {
      problems.add(annotation + " on " + description + ": " + attribute + " must not be empty");
    } else if (!NAME.matcher(cache).matches()) {
      problems.add(annotation + "(" + attribute + " = \"" + cache + "\") on " + description
          + ": a cache name may hold letters, digits and . _ - / # @ $ only (no ':', spaces or * ? [ ])");
    }
  }

  private static @Nullable String[] parameterNames(Method method, String @Nullable [] fromWeaver) {
    Parameter[] parameters = method.getParameters();
    @Nullable String[] names = new String[parameters.length];
    for (int i = 0; i < parameters.length; i++) {
      if (fromWeaver != null && fromWeaver.length == parameters.length && fromWeaver[i] != null
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

  private static @Nullable KeyTemplate keyTemplate(
      String annotation,
      String[] spec,
      Method method,
      @Nullable String[] names,
      ReadThroughConfig config,
      @Nullable String cache,
      String description,
      List<String> problems,
      int excluded) {
    Class<?>[] types = method.getParameterTypes();
    List<KeyTemplate.Part> parts = new ArrayList<>();
    int before = problems.size();
    if (spec.length == 0) {
      for (int i = 0; i < types.length; i++) {
        if (i == excluded) {
          continue; // the each parameter is the last part, per element
        }
        String name = names[i] != null ? names[i] : "arg" + i;
        checkKeyType(annotation, name, types[i], description, problems);
        parts.add(new KeyTemplate.Part(name, i, new MethodHandle[0], KeyFormat.isValueType(types[i])));
      }
    }
    for (String entry : spec) {
      if (entry == null || entry.isBlank()) {
        problems.add(annotation + " on " + description + ": key has an empty entry");
        continue;
      }
      String[] segments = entry.split("\\.", -1);
      int index = indexOf(names, segments[0]);
      if (index >= 0 && index == excluded) {
        problems.add(annotation + "(key = \"" + entry + "\") on " + description + ": names the each parameter,"
            + " which is the last key part of every element already; key names only the other parameters");
        continue;
      }
      if (index < 0) {
        boolean noNames = Arrays.stream(names).allMatch(n -> n == null);
        problems.add(annotation + "(key = \"" + entry + "\") on " + description + ": "
            + (noNames
                ? "parameter names are not available; weave the class from source with ajc or compile with -parameters"
                : "names no parameter; parameters are " + Arrays.toString(names)));
        continue;
      }
      Class<?> type = types[index];
      MethodHandle[] path = new MethodHandle[segments.length - 1];
      boolean resolved = true;
      for (int s = 1; s < segments.length; s++) {
        Accessor accessor = accessor(type, segments[s]);
        if (accessor == null) {
          problems.add(annotation + "(key = \"" + entry + "\") on " + description + ": "
              + type.getSimpleName() + " has no getter, record accessor or field named '" + segments[s] + "'");
          resolved = false;
          break;
        }
        path[s - 1] = accessor.handle;
        type = accessor.type;
      }
      if (!resolved) {
        continue;
      }
      checkKeyType(annotation, entry, type, description, problems);
      parts.add(new KeyTemplate.Part(entry, index, path, KeyFormat.isValueType(type)));
    }
    if (problems.size() > before || cache == null) {
      return null;
    }
    return new KeyTemplate(config.keyPrefix() + ":" + cache + ":", description, parts);
  }

  private static void checkKeyType(
      String annotation, String name, Class<?> type, String description, List<String> problems) {
    if (type == Optional.class) {
      problems.add(annotation + " on " + description + ": key part '" + name
          + "' is an Optional; pass the value or null instead");
    } else if (!KeyFormat.isSupportedStatically(type)) {
      problems.add(annotation + " on " + description + ": key part '" + name + "' has type "
          + type.getName() + ", which cannot form a stable key; name one of its properties"
          + " (key = \"" + name + ".id\") or use a String, number, enum, UUID, java.time value or record");
    }
  }

  private static int indexOf(@Nullable String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (name.equals(names[i])) {
        return i;
      }
    }
    return -1;
  }

  private record Accessor(MethodHandle handle, Class<?> type) {}

  /** Finds {@code getX()}, {@code isX()}, {@code x()} or the field {@code x}, in that order. */
  private static @Nullable Accessor accessor(Class<?> type, String property) {
    if (property.isEmpty()) {
      return null;
    }
    String capitalized = Character.toUpperCase(property.charAt(0)) + property.substring(1);
    for (String name : List.of("get" + capitalized, "is" + capitalized, property)) {
      Method getter = findMethod(type, name);
      if (getter != null && getter.getReturnType() != void.class
          && (!name.startsWith("is") || name.equals(property)
              || getter.getReturnType() == boolean.class || getter.getReturnType() == Boolean.class)) {
        return new Accessor(unreflect(getter), getter.getReturnType());
      }
    }
    for (Class<?> k = type; k != null; k = k.getSuperclass()) {
      try {
        Field field = k.getDeclaredField(property);
        if (!Modifier.isStatic(field.getModifiers())) {
          open(field);
          return new Accessor(MethodHandles.lookup().unreflectGetter(field), field.getType());
        }
      } catch (NoSuchFieldException e) {
        // try the superclass
      } catch (IllegalAccessException e) {
        return null;
      }
    }
    return null;
  }

  private static @Nullable Method findMethod(Class<?> type, String name) {
    try {
      Method method = type.getMethod(name);
      return Modifier.isStatic(method.getModifiers()) ? null : method;
    } catch (NoSuchMethodException e) {
      for (Class<?> k = type; k != null; k = k.getSuperclass()) {
        try {
          Method method = k.getDeclaredMethod(name);
          if (!Modifier.isStatic(method.getModifiers())) {
            return method;
          }
        } catch (NoSuchMethodException ignored) {
          // try the superclass
        }
      }
      return null;
    }
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
