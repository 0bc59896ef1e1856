package dev.readthrough.processor;

import dev.readthrough.rules.TypeModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.IntersectionType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import org.jspecify.annotations.Nullable;

/**
 * The compiler's view of types for the shared declaration rules: {@link TypeModel} over {@code
 * javax.lang.model}, answering as reflection does at run time. Types the compiler cannot resolve
 * (an error already, or code another processor has yet to generate) are {@code UNKNOWN}, which the
 * rules never report.
 */
final class MirrorTypes implements TypeModel<TypeMirror> {

  private final Elements elements;
  private final Types types;

  MirrorTypes(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  @Override
  public Kind kind(TypeMirror type) {
    TypeKind kind = type.getKind();
    if (kind.isPrimitive()) {
      return Kind.PRIMITIVE;
    }
    return switch (kind) {
      case VOID -> Kind.VOID;
      case ARRAY -> Kind.ARRAY;
      case TYPEVAR -> Kind.TYPE_VARIABLE;
      case WILDCARD -> Kind.WILDCARD;
      case DECLARED -> {
        TypeElement element = element(type);
        if (element == null) {
          yield Kind.UNKNOWN;
        }
        ElementKind elementKind = element.getKind();
        yield elementKind == ElementKind.ENUM
            ? Kind.ENUM
            : elementKind == ElementKind.RECORD
                ? Kind.RECORD
                : elementKind.isInterface() ? Kind.INTERFACE : Kind.CLASS;
      }
      default -> Kind.UNKNOWN;
    };
  }

  @Override
  public String name(TypeMirror type) {
    if (type.getKind().isPrimitive() || type.getKind() == TypeKind.VOID) {
      return type.getKind().name().toLowerCase(java.util.Locale.ROOT);
    }
    if (type.getKind() == TypeKind.TYPEVAR) {
      return ((TypeVariable) type).asElement().getSimpleName().toString();
    }
    TypeElement element = element(type);
    return element != null ? elements.getBinaryName(element).toString() : type.toString();
  }

  @Override
  public String simpleName(TypeMirror type) {
    TypeElement element = element(type);
    return element != null ? element.getSimpleName().toString() : type.toString();
  }

  @Override
  public boolean isAbstract(TypeMirror type) {
    TypeElement element = element(type);
    return element != null && element.getModifiers().contains(Modifier.ABSTRACT);
  }

  @Override
  public TypeMirror component(TypeMirror array) {
    return ((ArrayType) array).getComponentType();
  }

  @Override
  public List<TypeMirror> typeArguments(TypeMirror type) {
    return type instanceof DeclaredType declared
        ? List.copyOf(declared.getTypeArguments())
        : List.of();
  }

  @Override
  public @Nullable TypeMirror upperBound(TypeMirror type) {
    if (type instanceof TypeVariable variable) {
      TypeMirror bound = variable.getUpperBound();
      return bound instanceof IntersectionType intersection
          ? intersection.getBounds().get(0)
          : bound;
    }
    return type instanceof WildcardType wildcard ? wildcard.getExtendsBound() : null;
  }

  @Override
  public @Nullable TypeMirror lowerBound(TypeMirror type) {
    return type instanceof WildcardType wildcard ? wildcard.getSuperBound() : null;
  }

  @Override
  public @Nullable TypeMirror asSupertype(TypeMirror type, String binaryName) {
    Deque<TypeMirror> pending = new ArrayDeque<>(List.of(type));
    Set<String> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      TypeMirror next = pending.removeFirst();
      TypeElement element = element(next);
      if (element == null) {
        continue;
      }
      String name = elements.getBinaryName(element).toString();
      if (name.equals(binaryName)) {
        return next;
      }
      if (seen.add(name)) {
        pending.addAll(types.directSupertypes(next));
      }
    }
    return null;
  }

  @Override
  public List<Member<TypeMirror>> recordComponents(TypeMirror record) {
    TypeElement element = element(record);
    List<Member<TypeMirror>> components = new ArrayList<>();
    if (element != null) {
      for (RecordComponentElement component : element.getRecordComponents()) {
        ExecutableElement accessor = component.getAccessor();
        TypeMirror type = accessor != null ? returnType(record, accessor) : component.asType();
        components.add(new Member<>(component.getSimpleName().toString(), type, component));
      }
    }
    return components;
  }

  @Override
  public @Nullable Member<TypeMirror> method(TypeMirror owner, String name) {
    TypeElement type = element(owner);
    if (type == null) {
      return null;
    }
    for (ExecutableElement candidate : ElementFilter.methodsIn(elements.getAllMembers(type))) {
      if (candidate.getSimpleName().contentEquals(name)
          && candidate.getParameters().isEmpty()
          && candidate.getModifiers().contains(Modifier.PUBLIC)) {
        return candidate.getModifiers().contains(Modifier.STATIC)
            ? null
            : new Member<>(name, returnType(owner, candidate), candidate);
      }
    }
    for (TypeElement k = type; k != null; k = element(k.getSuperclass())) {
      for (ExecutableElement candidate : ElementFilter.methodsIn(k.getEnclosedElements())) {
        if (candidate.getSimpleName().contentEquals(name)
            && candidate.getParameters().isEmpty()
            && !candidate.getModifiers().contains(Modifier.STATIC)) {
          return new Member<>(name, returnType(owner, candidate), candidate);
        }
      }
    }
    return null;
  }

  @Override
  public @Nullable Member<TypeMirror> field(TypeMirror owner, String name) {
    for (TypeElement k = element(owner); k != null; k = element(k.getSuperclass())) {
      for (VariableElement field : ElementFilter.fieldsIn(k.getEnclosedElements())) {
        if (field.getSimpleName().contentEquals(name)) {
          if (!field.getModifiers().contains(Modifier.STATIC)) {
            return new Member<>(name, memberType(owner, field), field);
          }
          break; // a static field: look further up, as reflection does
        }
      }
    }
    return null;
  }

  @Override
  public List<Member<TypeMirror>> fields(TypeMirror owner) {
    List<Member<TypeMirror>> fields = new ArrayList<>();
    for (TypeElement k = element(owner); k != null; k = element(k.getSuperclass())) {
      for (VariableElement field : ElementFilter.fieldsIn(k.getEnclosedElements())) {
        Set<Modifier> modifiers = field.getModifiers();
        if (!modifiers.contains(Modifier.STATIC) && !modifiers.contains(Modifier.TRANSIENT)) {
          String name = field.getSimpleName().toString();
          fields.add(new Member<>(name, memberType(owner, field), field));
        }
      }
    }
    return fields;
  }

  @Override
  public boolean isFunctionalInterface(TypeMirror type) {
    TypeElement element = element(type);
    if (element == null || !element.getKind().isInterface()) {
      return false;
    }
    for (AnnotationMirror annotation : element.getAnnotationMirrors()) {
      Element annotationType = annotation.getAnnotationType().asElement();
      if (annotationType instanceof TypeElement t
          && t.getQualifiedName().contentEquals("java.lang.FunctionalInterface")) {
        return true;
      }
    }
    return false;
  }

  private TypeMirror returnType(TypeMirror owner, ExecutableElement method) {
    try {
      return ((ExecutableType) types.asMemberOf((DeclaredType) owner, method)).getReturnType();
    } catch (IllegalArgumentException | ClassCastException e) {
      return method.getReturnType(); // not a member the compiler sees from owner: as declared
    }
  }

  private TypeMirror memberType(TypeMirror owner, Element member) {
    try {
      return types.asMemberOf((DeclaredType) owner, member);
    } catch (IllegalArgumentException | ClassCastException e) {
      return member.asType();
    }
  }

  private static @Nullable TypeElement element(@Nullable TypeMirror type) {
    if (type == null || type.getKind() != TypeKind.DECLARED) {
      return null;
    }
    Element element = ((DeclaredType) type).asElement();
    return element instanceof TypeElement typeElement ? typeElement : null;
  }
}
