package dev.readthrough.runtime.internal.declarations;

import dev.readthrough.rules.TypeModel;
import java.lang.reflect.Array;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reflection's view of types for the shared declaration rules: {@link TypeModel} over {@code
 * java.lang.reflect}, answering as the compiler's model does at build time. Members are typed as
 * seen from the type asked about: a supertype's type variables are replaced by the arguments the
 * subtype gives them.
 */
public final class ReflectTypes implements TypeModel<Type> {

  public static final ReflectTypes INSTANCE = new ReflectTypes();

  private ReflectTypes() {}

  @Override
  public Kind kind(Type type) {
    if (type instanceof Class<?> c) {
      return c == void.class
          ? Kind.VOID
          : c.isPrimitive()
              ? Kind.PRIMITIVE
              : c.isArray()
                  ? Kind.ARRAY
                  : c.isEnum()
                      ? Kind.ENUM
                      : c.isRecord() ? Kind.RECORD : c.isInterface() ? Kind.INTERFACE : Kind.CLASS;
    }
    if (type instanceof ParameterizedType p) {
      return kind(p.getRawType());
    }
    return type instanceof GenericArrayType
        ? Kind.ARRAY
        : type instanceof TypeVariable<?>
            ? Kind.TYPE_VARIABLE
            : type instanceof WildcardType ? Kind.WILDCARD : Kind.UNKNOWN;
  }

  @Override
  public String name(Type type) {
    if (type instanceof TypeVariable<?> variable) {
      return variable.getName();
    }
    Class<?> raw = raw(type);
    return raw != null ? raw.getName() : type.getTypeName();
  }

  @Override
  public String simpleName(Type type) {
    Class<?> raw = raw(type);
    return raw != null ? raw.getSimpleName() : type.getTypeName();
  }

  @Override
  public boolean isAbstract(Type type) {
    Class<?> raw = raw(type);
    return raw != null && Modifier.isAbstract(raw.getModifiers());
  }

  @Override
  public Type component(Type array) {
    return array instanceof GenericArrayType generic
        ? generic.getGenericComponentType()
        : ((Class<?>) array).getComponentType();
  }

  @Override
  public List<Type> typeArguments(Type type) {
    return type instanceof ParameterizedType p ? List.of(p.getActualTypeArguments()) : List.of();
  }

  /** Whether the type is a generic class used without type arguments. */
  private static boolean isRaw(Type type) {
    return type instanceof Class<?> c && c.getTypeParameters().length > 0;
  }

  @Override
  public @Nullable Type upperBound(Type type) {
    if (type instanceof TypeVariable<?> variable) {
      return variable.getBounds()[0];
    }
    if (type instanceof WildcardType wildcard) {
      Type[] upper = wildcard.getUpperBounds();
      return upper.length == 0 || upper[0] == Object.class ? null : upper[0];
    }
    return null;
  }

  @Override
  public @Nullable Type lowerBound(Type type) {
    if (type instanceof WildcardType wildcard && wildcard.getLowerBounds().length > 0) {
      return wildcard.getLowerBounds()[0];
    }
    return null;
  }

  @Override
  public @Nullable Type asSupertype(Type type, String binaryName) {
    Class<?> raw = raw(type);
    if (raw == null || raw.isArray() || raw.isPrimitive()) {
      return null;
    }
    if (raw.getName().equals(binaryName)) {
      return type;
    }
    Map<TypeVariable<?>, Type> bindings = bindings(type);
    boolean rawUse = isRaw(type);
    List<Type> supertypes = new ArrayList<>(Arrays.asList(raw.getGenericInterfaces()));
    if (raw.getGenericSuperclass() != null) {
      supertypes.add(0, raw.getGenericSuperclass());
    }
    for (Type supertype : supertypes) {
      Type seen = rawUse ? raw(supertype) : substitute(supertype, bindings);
      Type found = seen == null ? null : asSupertype(seen, binaryName);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  @Override
  public List<Member<Type>> recordComponents(Type record) {
    Class<?> raw = raw(record);
    List<Member<Type>> components = new ArrayList<>();
    if (raw != null && raw.isRecord()) {
      Map<TypeVariable<?>, Type> bindings = bindings(record);
      for (RecordComponent component : raw.getRecordComponents()) {
        components.add(
            new Member<>(
                component.getName(), substitute(component.getGenericType(), bindings), component));
      }
    }
    return components;
  }

  @Override
  public @Nullable Member<Type> method(Type owner, String name) {
    Class<?> type = raw(owner);
    if (type == null) {
      return null;
    }
    Method found = null;
    try {
      Method method = type.getMethod(name);
      if (Modifier.isStatic(method.getModifiers())) {
        return null;
      }
      found = method;
    } catch (NoSuchMethodException e) {
      for (Class<?> k = type; k != null && found == null; k = k.getSuperclass()) {
        try {
          Method method = k.getDeclaredMethod(name);
          if (!Modifier.isStatic(method.getModifiers())) {
            found = method;
          }
        } catch (NoSuchMethodException ignored) {
          // try the superclass
        }
      }
    }
    return found == null
        ? null
        : new Member<>(
            name,
            memberType(owner, found.getDeclaringClass(), found.getGenericReturnType()),
            found);
  }

  @Override
  public @Nullable Member<Type> field(Type owner, String name) {
    for (Class<?> k = raw(owner); k != null; k = k.getSuperclass()) {
      try {
        Field field = k.getDeclaredField(name);
        if (!Modifier.isStatic(field.getModifiers())) {
          return new Member<>(name, memberType(owner, k, field.getGenericType()), field);
        }
      } catch (NoSuchFieldException e) {
        // try the superclass
      }
    }
    return null;
  }

  @Override
  public List<Member<Type>> fields(Type owner) {
    List<Member<Type>> fields = new ArrayList<>();
    for (Class<?> k = raw(owner); k != null; k = k.getSuperclass()) {
      for (Field field : k.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (!Modifier.isStatic(modifiers)
            && !Modifier.isTransient(modifiers)
            && !field.isSynthetic()) { // an inner class's outer instance: Kryo skips it too
          fields.add(
              new Member<>(field.getName(), memberType(owner, k, field.getGenericType()), field));
        }
      }
    }
    return fields;
  }

  @Override
  public boolean isFunctionalInterface(Type type) {
    Class<?> raw = raw(type);
    return raw != null && raw.isInterface() && raw.isAnnotationPresent(FunctionalInterface.class);
  }

  /** The class of a class or parameterized type; {@code null} for other types. */
  public static @Nullable Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    return type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c ? c : null;
  }

  /**
   * A member's declared type as seen from {@code owner}, whose supertype {@code declarer} has it.
   */
  private Type memberType(Type owner, Class<?> declarer, Type declared) {
    if (isRaw(owner)) {
      return erase(declared);
    }
    Type seen = asSupertype(owner, declarer.getName());
    return seen == null ? declared : substitute(declared, bindings(seen));
  }

  private static Map<TypeVariable<?>, Type> bindings(Type type) {
    Map<TypeVariable<?>, Type> bindings = new HashMap<>();
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      TypeVariable<?>[] variables = raw.getTypeParameters();
      Type[] arguments = p.getActualTypeArguments();
      for (int i = 0; i < variables.length && i < arguments.length; i++) {
        bindings.put(variables[i], arguments[i]);
      }
    }
    return bindings;
  }

  private static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
    if (bindings.isEmpty()) {
      return type;
    }
    if (type instanceof TypeVariable<?> variable) {
      return bindings.getOrDefault(variable, variable);
    }
    if (type instanceof ParameterizedType p) {
      Type[] arguments = p.getActualTypeArguments().clone();
      for (int i = 0; i < arguments.length; i++) {
        arguments[i] = substitute(arguments[i], bindings);
      }
      return new Parameterized((Class<?>) p.getRawType(), p.getOwnerType(), arguments);
    }
    if (type instanceof GenericArrayType array) {
      Type component = substitute(array.getGenericComponentType(), bindings);
      return component instanceof Class<?> c
          ? Array.newInstance(c, 0).getClass()
          : new GenericArray(component);
    }
    if (type instanceof WildcardType wildcard) {
      return new Wildcard(
          substituteAll(wildcard.getUpperBounds(), bindings),
          substituteAll(wildcard.getLowerBounds(), bindings));
    }
    return type;
  }

  private static Type[] substituteAll(Type[] types, Map<TypeVariable<?>, Type> bindings) {
    Type[] result = types.clone();
    for (int i = 0; i < result.length; i++) {
      result[i] = substitute(result[i], bindings);
    }
    return result;
  }

  private static Type erase(Type type) {
    if (type instanceof TypeVariable<?> variable) {
      return erase(variable.getBounds()[0]);
    }
    if (type instanceof GenericArrayType array) {
      return Array.newInstance((Class<?>) erase(array.getGenericComponentType()), 0).getClass();
    }
    Class<?> raw = raw(type);
    return raw != null ? raw : Object.class;
  }

  /**
   * A type the rules resolved through generics; equal to any ParameterizedType of the same parts,
   * as the JDK's are.
   */
  @SuppressWarnings(
      "ArrayRecordComponent") // equals and hashCode below compare the arrays' contents
  private record Parameterized(Class<?> raw, @Nullable Type owner, Type[] arguments)
      implements ParameterizedType {
    @Override
    public Type[] getActualTypeArguments() {
      return arguments.clone();
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof ParameterizedType p
          && raw.equals(p.getRawType())
          && java.util.Objects.equals(owner, p.getOwnerType())
          && java.util.Arrays.equals(arguments, p.getActualTypeArguments());
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(arguments)
          ^ java.util.Objects.hashCode(owner)
          ^ raw.hashCode();
    }

    @Override
    public String toString() {
      return getTypeName();
    }

    @Override
    public String getTypeName() {
      StringBuilder name = new StringBuilder(raw.getTypeName()).append('<');
      for (int i = 0; i < arguments.length; i++) {
        name.append(i > 0 ? ", " : "").append(arguments[i].getTypeName());
      }
      return name.append('>').toString();
    }

    @Override
    public Type getRawType() {
      return raw;
    }

    @Override
    public @Nullable Type getOwnerType() {
      return owner;
    }
  }

  private record GenericArray(Type component) implements GenericArrayType {
    @Override
    public Type getGenericComponentType() {
      return component;
    }
  }

  @SuppressWarnings(
      "ArrayRecordComponent") // equals and hashCode below compare the arrays' contents
  private record Wildcard(Type[] upper, Type[] lower) implements WildcardType {
    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof WildcardType w
          && java.util.Arrays.equals(upper, w.getUpperBounds())
          && java.util.Arrays.equals(lower, w.getLowerBounds());
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(lower) ^ java.util.Arrays.hashCode(upper);
    }

    @Override
    public Type[] getUpperBounds() {
      return upper.clone();
    }

    @Override
    public Type[] getLowerBounds() {
      return lower.clone();
    }
  }
}
