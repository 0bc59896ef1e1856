package dev.readthrough.processor;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import org.jspecify.annotations.Nullable;

/**
 * The runtime's key rules on declared types: which types can form a stable key ({@code
 * KeyFormat.isSupportedStatically}) and how a dotted key path steps into a type ({@code
 * Plans.accessor}).
 *
 * <p>Like the runtime, which sees {@code Class} objects, every type is erased before it is judged:
 * a {@code T} with no bound is an {@code Object} and is checked per call at run time. Types the
 * compiler cannot resolve (an error already, or code another processor has yet to generate) are
 * never reported.
 */
final class KeyTypes {

  /** Classes whose subtypes are all key values, as {@code isAssignableFrom} in the runtime. */
  private static final List<String> VALUE_SUPERTYPES =
      List.of(
          "java.lang.CharSequence",
          "java.time.temporal.TemporalAccessor",
          "java.time.temporal.TemporalAmount",
          "java.time.ZoneId",
          "java.util.Collection",
          "java.util.Map");

  /** Classes that are key values themselves, as {@code ==} in the runtime. */
  private static final Set<String> VALUE_CLASSES =
      Set.of(
          "java.lang.Object",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Short",
          "java.lang.Byte",
          "java.lang.Double",
          "java.lang.Float",
          "java.lang.Number",
          "java.math.BigInteger",
          "java.math.BigDecimal",
          "java.lang.Boolean",
          "java.lang.Character",
          "java.util.UUID",
          "java.time.Duration");

  private final Elements elements;
  private final Types types;

  KeyTypes(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  /** Whether {@code type}, erased, is exactly the class named {@code qualifiedName}. */
  boolean is(TypeMirror type, String qualifiedName) {
    TypeElement element = element(types.erasure(type));
    return element != null && element.getQualifiedName().contentEquals(qualifiedName);
  }

  /** Whether values of the declared type can always form a key, or are checked per call. */
  boolean isSupported(TypeMirror type) {
    return isSupported(type, new HashSet<>());
  }

  private boolean isSupported(TypeMirror declared, Set<TypeElement> recordsSeen) {
    TypeMirror type = types.erasure(declared);
    if (type.getKind().isPrimitive()) {
      return true;
    }
    if (type.getKind() == TypeKind.ARRAY) {
      return isSupported(((ArrayType) type).getComponentType(), recordsSeen);
    }
    TypeElement element = element(type);
    if (element == null) {
      return true; // unresolved: not this processor's error to report
    }
    ElementKind kind = element.getKind();
    if (kind == ElementKind.INTERFACE || kind == ElementKind.ANNOTATION_TYPE) {
      return true; // known ones are keys; unknown ones are checked per call
    }
    if (kind == ElementKind.ENUM || VALUE_CLASSES.contains(element.getQualifiedName().toString())) {
      return true;
    }
    for (String supertype : VALUE_SUPERTYPES) {
      TypeElement value = elements.getTypeElement(supertype);
      if (value != null && types.isAssignable(type, types.erasure(value.asType()))) {
        return true;
      }
    }
    if (kind == ElementKind.RECORD) {
      if (!recordsSeen.add(element)) {
        return true; // a record that holds itself: judged by its other components
      }
      for (RecordComponentElement component : element.getRecordComponents()) {
        if (!isSupported(component.asType(), recordsSeen)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * The erased type of {@code property} of {@code type}: the first of {@code getX()}, {@code isX()}
   * (boolean only) and {@code x()} that exists, else the field {@code x}, searching the type and
   * its supertypes; {@code null} if there is none.
   */
  @Nullable TypeMirror property(TypeMirror declared, String property) {
    TypeMirror type = types.erasure(declared);
    TypeElement owner = element(type);
    if (owner == null || property.isEmpty()) {
      return null;
    }
    String capitalized = Character.toUpperCase(property.charAt(0)) + property.substring(1);
    for (String name : List.of("get" + capitalized, "is" + capitalized, property)) {
      ExecutableElement getter = method(owner, name);
      if (getter == null) {
        continue;
      }
      TypeMirror returned = types.erasure(getter.getReturnType());
      boolean booleanLike =
          returned.getKind() == TypeKind.BOOLEAN || is(returned, "java.lang.Boolean");
      if (returned.getKind() != TypeKind.VOID
          && (!name.startsWith("is") || name.equals(property) || booleanLike)) {
        return returned;
      }
    }
    for (TypeElement k = owner; k != null; k = superclass(k)) {
      for (VariableElement field : ElementFilter.fieldsIn(k.getEnclosedElements())) {
        if (field.getSimpleName().contentEquals(property)) {
          if (!field.getModifiers().contains(Modifier.STATIC)) {
            return types.erasure(field.asType());
          }
          break; // a static field: look further up, as the runtime does
        }
      }
    }
    return null;
  }

  /**
   * The no-argument instance method {@code name} of {@code owner}: a public one, inherited from any
   * supertype, first ({@code Class.getMethod}); else one of any access declared in the class or a
   * superclass ({@code getDeclaredMethod}).
   */
  private @Nullable ExecutableElement method(TypeElement owner, String name) {
    for (ExecutableElement candidate : ElementFilter.methodsIn(elements.getAllMembers(owner))) {
      if (candidate.getSimpleName().contentEquals(name)
          && candidate.getParameters().isEmpty()
          && candidate.getModifiers().contains(Modifier.PUBLIC)) {
        return candidate.getModifiers().contains(Modifier.STATIC) ? null : candidate;
      }
    }
    for (TypeElement k = owner; k != null; k = superclass(k)) {
      for (ExecutableElement candidate : ElementFilter.methodsIn(k.getEnclosedElements())) {
        if (candidate.getSimpleName().contentEquals(name)
            && candidate.getParameters().isEmpty()
            && !candidate.getModifiers().contains(Modifier.STATIC)) {
          return candidate;
        }
      }
    }
    return null;
  }

  private @Nullable TypeElement superclass(TypeElement type) {
    return element(type.getSuperclass());
  }

  /**
   * {@code Class.getSimpleName()} of the erased type: {@code long}, {@code String[]}, {@code User}.
   */
  String simpleName(TypeMirror declared) {
    TypeMirror type = types.erasure(declared);
    if (type.getKind() == TypeKind.ARRAY) {
      return simpleName(((ArrayType) type).getComponentType()) + "[]";
    }
    TypeElement element = element(type);
    return element != null ? element.getSimpleName().toString() : type.toString();
  }

  /** {@code Class.getName()} of the erased type for classes ({@code com.acme.Outer$User}). */
  String binaryName(TypeMirror declared) {
    TypeMirror type = types.erasure(declared);
    TypeElement element = element(type);
    return element != null ? elements.getBinaryName(element).toString() : type.toString();
  }

  Map<? extends ExecutableElement, ? extends AnnotationValue> valuesWithDefaults(
      AnnotationMirror annotation) {
    return elements.getElementValuesWithDefaults(annotation);
  }

  private static @Nullable TypeElement element(@Nullable TypeMirror type) {
    if (type == null || type.getKind() != TypeKind.DECLARED) {
      return null;
    }
    Element element = ((DeclaredType) type).asElement();
    return element instanceof TypeElement typeElement ? typeElement : null;
  }
}
