package dev.readthrough.rules;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the declaration rules need to know about a type, answered by the compiler's model at build
 * time and by reflection at run time. {@code T} is the implementation's own type representation.
 *
 * <p>"Declared" below means a class, interface, enum or record type, generic or not. Every member
 * type is given as seen from the type asked about, so that the field {@code T value} of a {@code
 * Box<String>} has type {@code String}.
 */
public interface TypeModel<T> {

  /** What kind of type a {@code T} is. */
  enum Kind {
    PRIMITIVE,
    VOID,
    ARRAY,
    CLASS,
    INTERFACE,
    ENUM,
    RECORD,
    TYPE_VARIABLE,
    WILDCARD,
    /** A type the compiler could not resolve: an error reported elsewhere, never by the rules. */
    UNKNOWN
  }

  /** A member of a declared type: a no-argument method, a field or a record component. */
  record Member<T>(String name, T type, Object handle) {}

  Kind kind(T type);

  /**
   * The keyword of a primitive or {@code void} ({@code long}); the binary name of a declared type's
   * class ({@code java.util.Map$Entry}), whatever its type arguments; a type variable's name
   * ({@code T}).
   */
  String name(T type);

  /** The simple name of a declared type's class ({@code Entry}). */
  String simpleName(T type);

  /** Whether a declared class is abstract. */
  boolean isAbstract(T type);

  /** The component type of an array type. */
  T component(T array);

  /** The type arguments of a declared type, as written; empty if it has none or is raw. */
  List<T> typeArguments(T type);

  /**
   * The first bound of a type variable, or the {@code extends} bound of a wildcard; {@code null}
   * for a wildcard without one.
   */
  @Nullable T upperBound(T type);

  /** The {@code super} bound of a wildcard; {@code null} if it has none. */
  @Nullable T lowerBound(T type);

  /**
   * The declared type {@code type} as an instance of its supertype (or itself) whose class has the
   * binary name {@code binaryName}, with that supertype's type arguments as they follow from {@code
   * type}'s (none if {@code type} is raw); {@code null} if it is no such subtype.
   */
  @Nullable T asSupertype(T type, String binaryName);

  /** The components of a record type, in order. */
  List<Member<T>> recordComponents(T record);

  /**
   * The no-argument instance method {@code name} of a declared type, its type being the return
   * type: as {@code Class.getMethod} finds it (public, from any supertype; {@code null} if that one
   * is static), else as {@code getDeclaredMethod} finds it in the class or a superclass.
   */
  @Nullable Member<T> method(T owner, String name);

  /** The non-static field {@code name} of a declared type or its superclasses, nearest first. */
  @Nullable Member<T> field(T owner, String name);

  /**
   * The fields a value of a declared class carries: its non-static, non-transient fields and then
   * those of each superclass, each class's in declaration order.
   */
  List<Member<T>> fields(T owner);

  /** Whether a declared type is an interface annotated {@code @FunctionalInterface}. */
  boolean isFunctionalInterface(T type);
}
