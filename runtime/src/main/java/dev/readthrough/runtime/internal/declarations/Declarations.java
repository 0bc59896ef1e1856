package dev.readthrough.runtime.internal.declarations;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.rules.CacheAnnotation;
import dev.readthrough.rules.Declaration;
import dev.readthrough.rules.DeclarationRules;
import dev.readthrough.rules.Verdict;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The run-time entry to the shared declaration rules: reads a woven method's cache annotations by
 * reflection and checks them with the very {@link DeclarationRules} the annotation processor
 * applies at build time, so that both report the same problems in the same words.
 */
public final class Declarations {

  private static final DeclarationRules<Type> RULES = new DeclarationRules<>(ReflectTypes.INSTANCE);

  private Declarations() {}

  /**
   * Checks the method's cache annotations.
   *
   * @param parameterNames one name per parameter, {@code null} where it is unknown
   * @return the problems found and, when there are none, what each annotation declares: the key
   *     parts with their paths ({@link java.lang.reflect.Method}s and {@link
   *     java.lang.reflect.Field}s), the {@code each} parameter and element type, and the cached
   *     type
   */
  public static Verdict<Type> check(Method method, @Nullable String[] parameterNames) {
    return RULES.check(declaration(method, parameterNames));
  }

  /** The problem messages of {@link #check}, in order; empty if the declaration is valid. */
  public static List<String> problems(Method method, @Nullable String[] parameterNames) {
    return check(method, parameterNames).messages();
  }

  /**
   * Why a value of {@code type} is not data that can be cached, in the words of the shared value
   * type rule ({@code ", which is ...: it cannot be cached; return ... instead"}), or {@code null}.
   */
  public static @Nullable String uncacheable(Type type) {
    return RULES.uncacheable(type);
  }

  private static Declaration<Type> declaration(Method method, @Nullable String[] parameterNames) {
    Type[] types = method.getGenericParameterTypes();
    List<Declaration.Parameter<Type>> parameters = new ArrayList<>(types.length);
    for (int i = 0; i < types.length; i++) {
      String name = i < parameterNames.length ? parameterNames[i] : null;
      parameters.add(new Declaration.Parameter<>(name, types[i]));
    }
    ReadThrough read = method.getAnnotation(ReadThrough.class);
    WriteThrough write = method.getAnnotation(WriteThrough.class);
    Invalidate invalidate = method.getAnnotation(Invalidate.class);
    return new Declaration<>(
        method.getDeclaringClass().getSimpleName(),
        method.getName(),
        parameters,
        method.getGenericReturnType(),
        read == null
            ? null
            : new CacheAnnotation(
                CacheAnnotation.Kind.READ_THROUGH,
                read.cache(),
                List.of(read.key()),
                read.ttlSeconds(),
                read.localTtlSeconds(),
                read.refreshAfterSeconds(),
                read.staleIfErrorSeconds(),
                false,
                read.each()),
        write == null
            ? null
            : new CacheAnnotation(
                CacheAnnotation.Kind.WRITE_THROUGH,
                write.cache(),
                List.of(write.key()),
                write.ttlSeconds(),
                null,
                null,
                null,
                false,
                ""),
        invalidate == null
            ? null
            : new CacheAnnotation(
                CacheAnnotation.Kind.INVALIDATE,
                invalidate.cache(),
                List.of(invalidate.key()),
                null,
                null,
                null,
                null,
                invalidate.allEntries(),
                invalidate.each()));
  }
}
