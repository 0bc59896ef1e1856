package dev.readthrough.runtime;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.rules.DeclarationRules;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Parses the cache annotations of a method into a {@link MethodPlan}, collecting every problem
 * with the declaration before failing.
 */
final class Plans {

  /** Cache names and key prefixes: readable, no key separator, no SCAN pattern characters. */
  static final Pattern NAME = DeclarationRules.NAME;

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
   * @throws CacheDeclarationException listing every problem with the method's annotations
   */
  static MethodPlan parse(
      Method method,
      String @Nullable [] parameterNames,
      ReadThroughConfig config,
      Function<String, CacheCounters> counters) {
    String description = describe(method);
    String[] names = parameterNames(method, parameterNames);
    List<String> problems = new ArrayList<>(Declarations.problems(method, names));
    if (!problems.isEmpty()) {
      throw new CacheDeclarationException(problems);
    }
    ReadThrough read = method.getAnnotation(ReadThrough.class);
    WriteThrough write = method.getAnnotation(WriteThrough.class);
    Invalidate invalidate = method.getAnnotation(Invalidate.class);

    MethodPlan.Kind kind = MethodPlan.Kind.INVALIDATE_ONLY;
    String cache = null;
    KeyTemplate key = null;
    long ttlSeconds = 0;
    boolean cacheNulls = false;
    String annotation = null;
    String[] keySpec = null;
    if (read != null) {
      kind = MethodPlan.Kind.READ_THROUGH;
      annotation = "@ReadThrough";
      cache = read.cache().isEmpty() ? defaultCacheName(method) : read.cache();
      ttlSeconds = read.ttlSeconds();
      cacheNulls = read.cacheNulls();
      keySpec = read.key();
    } else if (write != null) {
      kind = MethodPlan.Kind.WRITE_THROUGH;
      annotation = "@WriteThrough";
      cache = write.cache();
      ttlSeconds = write.ttlSeconds();
      keySpec = write.key();
    }

    ValueCodec codec = null;
    if (annotation != null) {
      key = keyTemplate(annotation, keySpec, method, names, config, cache, description, problems);
      if (method.getReturnType() != void.class && method.getReturnType() != Void.class) {
        try {
          codec = ValueCodec.forMethod(method, config);
        } catch (RuntimeException e) {
          problems.add(annotation + " on " + description + ": cannot encode its return type "
              + method.getGenericReturnType().getTypeName() + ": " + e.getMessage());
        }
      }
    }

    List<MethodPlan.Invalidation> invalidations = new ArrayList<>();
    if (invalidate != null) {
      String head = config.keyPrefix() + ":" + invalidate.cache() + ":";
      if (invalidate.allEntries()) {
        invalidations.add(new MethodPlan.Invalidation(invalidate.cache(), null, head));
      } else {
        KeyTemplate template =
            keyTemplate("@Invalidate", invalidate.key(), method, names, config, invalidate.cache(), description, problems);
        if (template != null) {
          invalidations.add(new MethodPlan.Invalidation(invalidate.cache(), template, head));
        }
      }
    }

    if (!problems.isEmpty()) {
      throw new CacheDeclarationException(problems);
    }
    return new MethodPlan(
        method, description, kind, cache, key, ttlSeconds * 1000, cacheNulls, codec,
        cache == null ? null : counters.apply(cache), invalidations);
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

  private static String[] parameterNames(Method method, String @Nullable [] fromWeaver) {
    Parameter[] parameters = method.getParameters();
    String[] names = new String[parameters.length];
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
      String[] names,
      ReadThroughConfig config,
      @Nullable String cache,
      String description,
      List<String> problems) {
    Class<?>[] types = method.getParameterTypes();
    List<KeyTemplate.Part> parts = new ArrayList<>();
    int before = problems.size();
    if (spec.length == 0) {
      for (int i = 0; i < types.length; i++) {
        String name = names[i] != null ? names[i] : "arg" + i;
        parts.add(new KeyTemplate.Part(name, i, new MethodHandle[0]));
      }
      if (types.length == 0 && annotation.equals("@Invalidate")) {
        // an argument-less @Invalidate removes the one entry of an argument-less method
      }
    }
    for (String entry : spec) {
      if (entry == null || entry.isBlank()) {
        problems.add(annotation + " on " + description + ": key has an empty entry");
        continue;
      }
      String[] segments = entry.split("\\.", -1);
      int index = indexOf(names, segments[0]);
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
      parts.add(new KeyTemplate.Part(entry, index, path));
    }
    if (problems.size() > before || cache == null) {
      return null;
    }
    return new KeyTemplate(config.keyPrefix() + ":" + cache + ":", description, parts);
  }

  private static int indexOf(String[] names, String name) {
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
