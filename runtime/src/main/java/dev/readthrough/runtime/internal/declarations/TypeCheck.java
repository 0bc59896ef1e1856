package dev.readthrough.runtime.internal.declarations;

import dev.readthrough.runtime.internal.codec.AllowList;
import dev.readthrough.runtime.internal.codec.ValueCodec;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks a decoded value against the generic type its method declares, element by element.
 *
 * <p>Kryo learns the class of a collection's elements, of an {@code Object} or interface-typed
 * field, from the bytes themselves. A corrupt or forged entry can therefore hold allow-listed
 * classes in the wrong places, such as Integers in a {@code List<String>}; returned as is, the
 * caller would fail with a ClassCastException far from the cache. Type variables and wildcards are
 * checked against their bounds.
 */
public final class TypeCheck {

  private static final int MAX_DEPTH = 256;

  /** The members holding an allow-listed class's state, with their declared types. */
  private static final ClassValue<Member[]> MEMBERS =
      new ClassValue<>() {
        @Override
        protected Member[] computeValue(Class<?> type) {
          return membersOf(type).toArray(new Member[0]);
        }
      };

  private TypeCheck() {}

  /**
   * Returns what in {@code value} does not conform to {@code type}, or {@code null} if all does.
   */
  public static @Nullable String mismatch(@Nullable Object value, Type type) {
    return check(value, type, 0);
  }

  private static @Nullable String check(@Nullable Object value, Type type, int depth) {
    if (value == null || depth > MAX_DEPTH) {
      return null;
    }
    Class<?> raw = boxed(rawClass(type));
    if (!raw.isInstance(value)) {
      return "a " + value.getClass().getName() + " where " + type.getTypeName() + " is declared";
    }
    Class<?> actual = value.getClass();
    if (actual == String.class || (type instanceof Class && settled(actual))) {
      return null; // nothing inside to check
    }
    if (type instanceof ParameterizedType p) {
      Type[] args = p.getActualTypeArguments();
      if (value instanceof Collection<?> collection && args.length == 1) {
        for (Object element : collection) {
          String problem = check(element, args[0], depth + 1);
          if (problem != null) {
            return problem;
          }
        }
      } else if (value instanceof Map<?, ?> map && args.length == 2) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          String problem = check(entry.getKey(), args[0], depth + 1);
          if (problem == null) {
            problem = check(entry.getValue(), args[1], depth + 1);
          }
          if (problem != null) {
            return problem;
          }
        }
      } else if (value instanceof Optional<?> optional && args.length == 1) {
        return check(optional.orElse(null), args[0], depth + 1);
      }
      if (AllowList.isJdk(actual)) {
        return null; // a JDK container holds nothing else to check
      }
    } else if (type instanceof GenericArrayType array && value instanceof Object[] elements) {
      for (Object element : elements) {
        String problem = check(element, array.getGenericComponentType(), depth + 1);
        if (problem != null) {
          return problem;
        }
      }
    }
    if (actual.isArray()
        && value instanceof Object[] elements
        && !(type instanceof GenericArrayType)) {
      for (Object element : elements) {
        String problem = check(element, actual.getComponentType(), depth + 1);
        if (problem != null) {
          return problem;
        }
      }
      return null;
    }
    Member[] members = MEMBERS.get(actual);
    for (int i = 0; i < members.length; i++) { // indexed: no iterator on every decoded object
      Member member = members[i];
      String problem = check(member.get(value), member.type, depth + 1);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** The erased class a value of {@code type} must be an instance of. */
  private static Class<?> rawClass(Type type) {
    if (type instanceof WildcardType w) {
      return rawClass(w.getUpperBounds()[0]);
    }
    if (type instanceof TypeVariable<?> v) {
      return rawClass(v.getBounds()[0]);
    }
    return ValueCodec.erase(type);
  }

  /**
   * The wrapper of a primitive class; any other class as it is. Allocation-free: it runs per
   * decode.
   */
  private static Class<?> boxed(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    return c == int.class
        ? Integer.class
        : c == long.class
            ? Long.class
            : c == boolean.class
                ? Boolean.class
                : c == double.class
                    ? Double.class
                    : c == float.class
                        ? Float.class
                        : c == char.class
                            ? Character.class
                            : c == short.class
                                ? Short.class
                                : c == byte.class ? Byte.class : Void.class;
  }

  /** Record components or instance fields of application classes; none for JDK classes. */
  private static List<Member> membersOf(Class<?> type) {
    List<Member> members = new ArrayList<>();
    if (AllowList.isJdk(type) || type.isEnum() || type.isArray()) {
      return members;
    }
    try {
      if (type.isRecord()) {
        for (RecordComponent component : type.getRecordComponents()) {
          if (settled(component.getGenericType())) {
            continue;
          }
          Method accessor = component.getAccessor();
          accessor.setAccessible(true);
          members.add(new Member(accessor, component.getGenericType()));
        }
        return members;
      }
      for (Class<?> k = type;
          k != null && k != Object.class && !AllowList.isJdk(k);
          k = k.getSuperclass()) {
        for (Field field : k.getDeclaredFields()) {
          int modifiers = field.getModifiers();
          if (!Modifier.isStatic(modifiers)
              && !Modifier.isTransient(modifiers)
              && !settled(field.getGenericType())) {
            field.setAccessible(true);
            members.add(new Member(field, field.getGenericType()));
          }
        }
      }
    } catch (RuntimeException e) {
      return List.of(); // not accessible: Kryo could not have set these members either
    }
    return members;
  }

  /**
   * Whether a member of this declared type always holds a conforming value once Kryo has set it:
   * primitives, enums and final JDK classes without type arguments, whose type the record
   * constructor or field assignment already enforces.
   */
  private static boolean settled(Type type) {
    if (!(type instanceof Class<?> c)) {
      return false;
    }
    return c.isPrimitive()
        || c.isEnum()
        || (!c.isArray() && Modifier.isFinal(c.getModifiers()) && AllowList.isJdk(c));
  }

  /** A record accessor or field, read reflectively. */
  private static final class Member {
    final AccessibleObject access;
    final Type type;

    Member(AccessibleObject access, Type type) {
      this.access = access;
      this.type = type;
    }

    @Nullable Object get(Object owner) {
      try {
        return access instanceof Field field ? field.get(owner) : ((Method) access).invoke(owner);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + access + ": " + e.getMessage(), e);
      }
    }
  }
}
