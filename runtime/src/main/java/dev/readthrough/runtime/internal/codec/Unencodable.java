package dev.readthrough.runtime.internal.codec;

import dev.readthrough.runtime.internal.declarations.Declarations;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Says why a value cannot be encoded, in the user's terms: which part of it ({@code
 * Report.attachment}) holds what, why that is not data, and what to return instead. Used for the
 * warning of a result returned uncached, and by {@code allowClasses(...)} to refuse a class the
 * codec cannot handle. Never suggests registering anything with Kryo: that is not the user's to
 * call.
 */
public final class Unencodable {

  private static final int MAX_DEPTH = 64;
  private static final int MAX_NODES = 10_000;

  private Unencodable() {}

  /**
   * What in {@code value} the codec cannot encode and why, or {@code null} if no part of it is at
   * fault by itself (then the codec failed for another reason).
   *
   * @param registered whether the codec knows a class
   */
  public static @Nullable String find(Object value, Predicate<Class<?>> registered) {
    return new Walk(registered).visit(value, "the value", 0);
  }

  /**
   * Why {@code c} cannot be allowed in cached values, or {@code null} if the codec can encode it: a
   * lambda or other hidden class, a type that is not data (a stream, thread, socket, ...), or a
   * class whose fields the codec may not open.
   */
  public static @Nullable String whyNotAllowable(Class<?> c) {
    if (isCode(c)) {
      return "it is a lambda, method reference or other generated class, which is code, not data:"
          + " it cannot be cached";
    }
    String why = Declarations.uncacheable(c);
    if (why != null) {
      return "it" + why.replaceFirst("^, which", "");
    }
    String failure = ValueCodec.cannotRegister(c);
    if (failure != null) {
      return "the codec cannot encode it ("
          + failure
          + "); return a record or class of your own holding its data instead";
    }
    return null;
  }

  /** Whether instances of {@code c} are code rather than data: lambdas and other hidden classes. */
  public static boolean isCode(Class<?> c) {
    return c.isHidden() || c.isSynthetic() || c.getName().contains("$$Lambda");
  }

  /** One search through a value's object graph, each object visited once. */
  private static final class Walk {
    private final Predicate<Class<?>> registered;
    private final Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    Walk(Predicate<Class<?>> registered) {
      this.registered = registered;
    }

    @Nullable String visit(@Nullable Object value, String where, int depth) {
      if (value == null || depth > MAX_DEPTH || seen.size() > MAX_NODES || !seen.add(value)) {
        return null;
      }
      Class<?> c = value.getClass();
      if (isCode(c)) {
        Class<?>[] interfaces = c.getInterfaces();
        String implementing =
            interfaces.length == 0 ? "" : " implementing " + interfaces[0].getName();
        return where
            + " holds a lambda or method reference"
            + implementing
            + ", which is code, not data: it cannot be cached; return the data it works on, or its"
            + " result, instead";
      }
      String why = Declarations.uncacheable(c);
      if (why != null) {
        return where + " holds a " + c.getName() + why;
      }
      if (!registered.test(c)) {
        return where + " holds a " + c.getName() + notReached(c);
      }
      if (value instanceof Object[] elements) {
        for (int i = 0; i < elements.length; i++) {
          String found = visit(elements[i], where + "[" + i + "]", depth + 1);
          if (found != null) {
            return found;
          }
        }
        return null;
      }
      if (value instanceof Collection<?> collection) {
        int i = 0;
        for (Object element : collection) {
          String found = visit(element, where + "[" + i++ + "]", depth + 1);
          if (found != null) {
            return found;
          }
        }
        return null;
      }
      if (value instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          String found = visit(entry.getKey(), where + " (a key)", depth + 1);
          if (found == null) {
            found = visit(entry.getValue(), where + "[" + label(entry.getKey()) + "]", depth + 1);
          }
          if (found != null) {
            return found;
          }
        }
        return null;
      }
      if (value instanceof Optional<?> optional) {
        return visit(optional.orElse(null), where, depth + 1);
      }
      if (AllowList.isJdk(c) || c.isEnum() || c.isArray()) {
        return null; // encoded by a serializer of its own
      }
      return members(value, c, depth);
    }

    private @Nullable String members(Object value, Class<?> c, int depth) {
      try {
        if (c.isRecord()) {
          for (RecordComponent component : c.getRecordComponents()) {
            Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            String found =
                visit(
                    accessor.invoke(value),
                    c.getSimpleName() + "." + component.getName(),
                    depth + 1);
            if (found != null) {
              return found;
            }
          }
          return null;
        }
        for (Class<?> k = c; k != null && !AllowList.isJdk(k); k = k.getSuperclass()) {
          for (Field field : k.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers)
                || Modifier.isTransient(modifiers)
                || field.isSynthetic()) {
              continue;
            }
            field.setAccessible(true);
            String found =
                visit(field.get(value), k.getSimpleName() + "." + field.getName(), depth + 1);
            if (found != null) {
              return found;
            }
          }
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null; // cannot look inside: the codec's own message must do
      }
      return null;
    }
  }

  /** A map key as a path step: its text if it is short and plain, else a placeholder. */
  private static String label(@Nullable Object key) {
    if (key instanceof String || key instanceof Number || key instanceof Enum<?>) {
      String text = key instanceof String ? "\"" + key + "\"" : key.toString();
      return text.length() <= 40 ? text : "...";
    }
    return "...";
  }

  /** Why a class the codec does not know is refused, and what to do about it. */
  private static String notReached(Class<?> c) {
    String why = whyNotAllowable(c);
    if (why != null) {
      return ": " + why;
    }
    return ", a class the method's declared return type does not reach (only those classes and"
        + " common JDK types are allowed); declare the field or type argument with this class,"
        + " or allow it with ReadThroughConfig.builder().allowClasses("
        + c.getSimpleName()
        + ".class)";
  }
}
