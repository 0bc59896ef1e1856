package dev.readthrough.rules;

import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * How the rules name and compare types, from a {@link TypeModel}'s answers alone, so that both
 * models produce the very same text: {@code java.util.List<java.lang.String>}, {@code long[]},
 * {@code ? extends java.lang.Number}, {@code T}.
 */
final class TypeNames<T> {

  static final String OBJECT = "java.lang.Object";

  private final TypeModel<T> model;

  TypeNames(TypeModel<T> model) {
    this.model = model;
  }

  /** The type as source would spell it, with binary class names. */
  String name(T type) {
    return switch (model.kind(type)) {
      case ARRAY -> name(model.component(type)) + "[]";
      case CLASS, INTERFACE, ENUM, RECORD -> {
        List<T> arguments = model.typeArguments(type);
        yield arguments.isEmpty()
            ? model.name(type)
            : model.name(type)
                + arguments.stream().map(this::name).collect(Collectors.joining(", ", "<", ">"));
      }
      case WILDCARD -> {
        T lower = model.lowerBound(type);
        T upper = model.upperBound(type);
        if (lower != null) {
          yield "? super " + name(lower);
        }
        yield upper == null || is(upper, OBJECT) ? "?" : "? extends " + name(upper);
      }
      default -> model.name(type);
    };
  }

  /** The simple name of the erased type, as {@code Class.getSimpleName()} gives it. */
  String simple(T type) {
    return switch (model.kind(type)) {
      case ARRAY -> simple(model.component(type)) + "[]";
      case CLASS, INTERFACE, ENUM, RECORD -> model.simpleName(type);
      case TYPE_VARIABLE -> {
        T bound = model.upperBound(type);
        yield bound == null ? "Object" : simple(bound);
      }
      default -> model.name(type);
    };
  }

  /** Whether the type is a class, interface, enum or record type. */
  boolean isDeclared(T type) {
    return switch (model.kind(type)) {
      case CLASS, INTERFACE, ENUM, RECORD -> true;
      default -> false;
    };
  }

  /** Whether the type is a declared type of the class with that binary name. */
  boolean is(T type, String binaryName) {
    return isDeclared(type) && model.name(type).equals(binaryName);
  }

  /**
   * The type a type variable or wildcard stands for: its upper bound, looked through until it is no
   * variable; {@code null} if that is unbounded ({@code Object}) or a wildcard has a {@code super}
   * bound, so that any value may come. Other types are returned as they are.
   */
  @Nullable T bound(T type) {
    T current = type;
    for (int depth = 0; depth < 16; depth++) {
      TypeModel.Kind kind = model.kind(current);
      if (kind != TypeModel.Kind.TYPE_VARIABLE && kind != TypeModel.Kind.WILDCARD) {
        return is(current, OBJECT) ? null : current;
      }
      if (model.lowerBound(current) != null) {
        return null;
      }
      T upper = model.upperBound(current);
      if (upper == null) {
        return null;
      }
      current = upper;
    }
    return null;
  }

  /**
   * The boxed type's name for a primitive ({@code java.lang.Long} for {@code long}), else {@link
   * #name}.
   */
  String boxedName(T type) {
    if (model.kind(type) != TypeModel.Kind.PRIMITIVE) {
      return name(type);
    }
    return switch (model.name(type)) {
      case "int" -> "java.lang.Integer";
      case "char" -> "java.lang.Character";
      default -> {
        String keyword = model.name(type);
        yield "java.lang." + Character.toUpperCase(keyword.charAt(0)) + keyword.substring(1);
      }
    };
  }
}
