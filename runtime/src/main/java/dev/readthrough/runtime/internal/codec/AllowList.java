package dev.readthrough.runtime.internal.codec;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the classes a cached value of a given type may contain: the type itself, the types of its
 * fields and record components, type arguments, array components and the permitted subclasses of
 * sealed types, transitively. JDK value types come from the codec's base set.
 */
public final class AllowList {

  private AllowList() {}

  /** Returns the application classes reachable from {@code type}, sorted by name. */
  public static List<Class<?>> reachableFrom(Type type, List<Class<?>> extra) {
    Set<Class<?>> found = new TreeSet<>(Comparator.comparing(Class::getName));
    Set<Type> seen = new HashSet<>();
    walk(type, found, seen);
    for (Class<?> c : extra) {
      walk(c, found, seen);
      if (!c.isInterface() && !c.isPrimitive()) {
        found.add(c);
      }
    }
    return List.copyOf(found);
  }

  private static void walk(Type type, Set<Class<?>> found, Set<Type> seen) {
    if (!seen.add(type)) {
      return;
    }
    if (type instanceof Class<?> c) {
      walkClass(c, found, seen);
    } else if (type instanceof ParameterizedType p) {
      walk(p.getRawType(), found, seen);
      for (Type argument : p.getActualTypeArguments()) {
        walk(argument, found, seen);
      }
    } else if (type instanceof GenericArrayType g) {
      walk(g.getGenericComponentType(), found, seen);
    } else if (type instanceof WildcardType w) {
      for (Type bound : w.getUpperBounds()) {
        walk(bound, found, seen);
      }
    } else if (type instanceof TypeVariable<?> v) {
      for (Type bound : v.getBounds()) {
        walk(bound, found, seen);
      }
    }
  }

  private static void walkClass(Class<?> c, Set<Class<?>> found, Set<Type> seen) {
    if (c.isPrimitive() || c == Object.class) {
      return;
    }
    if (c.isArray()) {
      if (!BaseTypes.isBase(c)) {
        found.add(c);
      }
      walk(c.getComponentType(), found, seen);
      return;
    }
    if (c.isEnum()) {
      if (!BaseTypes.isBase(c)) {
        found.add(c);
      }
      return;
    }
    if (c.isSealed()) {
      for (Class<?> permitted : c.getPermittedSubclasses()) {
        walk(permitted, found, seen);
      }
    }
    if (BaseTypes.isBase(c)
        || isJdk(c)
        || c.isInterface()
        || Modifier.isAbstract(c.getModifiers())) {
      return; // the base set covers JDK types; implementations of open types must be listed
    }
    found.add(c);
    if (c.isRecord()) {
      for (RecordComponent component : c.getRecordComponents()) {
        walk(component.getGenericType(), found, seen);
      }
      return;
    }
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      for (Field field : k.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
          walk(field.getGenericType(), found, seen);
        }
      }
    }
  }

  public static boolean isJdk(Class<?> c) {
    String name = c.getName();
    return name.startsWith("java.")
        || name.startsWith("javax.")
        || name.startsWith("jdk.")
        || name.startsWith("sun.")
        || name.startsWith("com.sun.");
  }

  /** Describes a class's serialized shape, so that a change of shape changes the fingerprint. */
  public static String shapeOf(Class<?> c) {
    StringBuilder shape = new StringBuilder(c.getName());
    if (c.isEnum()) {
      shape.append(" enum");
      for (Object constant : c.getEnumConstants()) {
        shape.append(' ').append(((Enum<?>) constant).name());
      }
    } else if (c.isRecord()) {
      shape.append(" record");
      for (RecordComponent component : c.getRecordComponents()) {
        shape
            .append(' ')
            .append(component.getName())
            .append(':')
            .append(component.getGenericType().getTypeName());
      }
    } else if (!c.isArray()) {
      for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
        shape.append(" <").append(k.getName()).append('>');
        Field[] fields = k.getDeclaredFields();
        java.util.Arrays.sort(fields, Comparator.comparing(Field::getName));
        for (Field field : fields) {
          int modifiers = field.getModifiers();
          if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
            shape
                .append(' ')
                .append(field.getName())
                .append(':')
                .append(field.getGenericType().getTypeName());
          }
        }
      }
    }
    return shape.toString();
  }
}
