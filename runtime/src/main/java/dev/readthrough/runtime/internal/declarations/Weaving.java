package dev.readthrough.runtime.internal.declarations;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.runtime.internal.call.Plans;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Tells a cached method that ajc wove from one that only javac compiled, which would run uncached
 * without a word.
 *
 * <p>ajc moves the body of every method it weaves with an around advice into a static method of the
 * same class named {@code <name>_aroundBody<n>}, taking the target (for an instance method), the
 * method's own parameters and, when an advice there uses one, the join point (the local-hit advice
 * of a method of one {@code long} or {@code int} parameter uses none). A concrete cached method
 * without such a companion was not woven. This reads only the class's own declared methods: no
 * class-path scanning, no byte-code parsing.
 */
public final class Weaving {

  /** What to do about an unwoven class, as every message about one says it. */
  public static final String HOW_TO_WEAVE =
      "add the aspectj-maven-plugin (dev.aspectj:aspectj-maven-plugin) to the build of that"
          + " class, with dev.readthrough:readthrough-weaver listed under its <aspectLibraries>;"
          + " see the getting-started guide";

  private Weaving() {}

  /** Whether {@code method} carries a cache annotation. */
  public static boolean isCached(Method method) {
    return method.isAnnotationPresent(ReadThrough.class)
        || method.isAnnotationPresent(WriteThrough.class)
        || method.isAnnotationPresent(Invalidate.class);
  }

  /**
   * Whether ajc wove {@code method}. An abstract method has no body to weave and counts as woven:
   * its implementations are checked where they are declared.
   */
  public static boolean isWoven(Method method) {
    if (Modifier.isAbstract(method.getModifiers())) {
      return true;
    }
    String prefix = method.getName() + "_aroundBody";
    List<Class<?>> expected = new ArrayList<>();
    if (!Modifier.isStatic(method.getModifiers())) {
      expected.add(method.getDeclaringClass());
    }
    expected.addAll(Arrays.asList(method.getParameterTypes()));
    for (Method candidate : method.getDeclaringClass().getDeclaredMethods()) {
      String name = candidate.getName();
      if (name.startsWith(prefix)
          && name.length() > prefix.length()
          && name.substring(prefix.length()).chars().allMatch(Character::isDigit)
          && Modifier.isStatic(candidate.getModifiers())
          && matches(candidate.getParameterTypes(), expected)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(Class<?>[] actual, List<Class<?>> expected) {
    if (actual.length != expected.size() && actual.length != expected.size() + 1) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      if (actual[i] != expected.get(i)) {
        return false;
      }
    }
    return actual.length == expected.size()
        || "org.aspectj.lang.JoinPoint".equals(actual[expected.size()].getName());
  }

  /** The cached methods {@code type} declares that ajc did not weave, in a stable order. */
  public static List<Method> unwoven(Class<?> type) {
    return Arrays.stream(type.getDeclaredMethods())
        .filter(Weaving::isCached)
        .filter(method -> !isWoven(method))
        .sorted((a, b) -> Plans.describe(a).compareTo(Plans.describe(b)))
        .collect(Collectors.toList());
  }

  /** The problem {@code engine.validate} reports for one unwoven method. */
  public static String problem(Method method) {
    return annotationsOf(method)
        + " on "
        + Plans.describe(method)
        + ": the method was not woven, so every call runs uncached; "
        + HOW_TO_WEAVE;
  }

  /** The error logged once for a class bound in an injector whose cached methods were not woven. */
  public static String classProblem(Class<?> type, List<Method> methods) {
    return type.getName()
        + " was not woven: its cached methods "
        + methods.stream().map(Plans::describe).collect(Collectors.joining(", "))
        + " run uncached; "
        + HOW_TO_WEAVE;
  }

  private static String annotationsOf(Method method) {
    List<String> names = new ArrayList<>();
    if (method.isAnnotationPresent(ReadThrough.class)) {
      names.add("@ReadThrough");
    }
    if (method.isAnnotationPresent(WriteThrough.class)) {
      names.add("@WriteThrough");
    }
    if (method.isAnnotationPresent(Invalidate.class)) {
      names.add("@Invalidate");
    }
    return String.join(" ", names);
  }
}
