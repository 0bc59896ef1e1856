package dev.readthrough.processor;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.rules.CacheAnnotation;
import dev.readthrough.rules.Declaration;
import dev.readthrough.rules.DeclarationRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import org.jspecify.annotations.Nullable;

/**
 * The problems with the cache annotations of one method: the method read from the compiler's model
 * into a {@link Declaration}, checked by the shared {@link DeclarationRules}, and each problem tied
 * back to the annotation at fault so that the compiler can point at it.
 */
final class MethodCheck {

  /** One problem, reported on the method and the annotation at fault. */
  record Problem(AnnotationMirror annotation, String message) {}

  private final ExecutableElement method;
  private final Elements elements;
  private final DeclarationRules<TypeMirror> rules;

  MethodCheck(ExecutableElement method, Elements elements, DeclarationRules<TypeMirror> rules) {
    this.method = method;
    this.elements = elements;
    this.rules = rules;
  }

  /** Every problem with the method's annotations, in declaration order; empty if none. */
  List<Problem> problems() {
    AnnotationMirror read = find(ReadThrough.class.getCanonicalName());
    AnnotationMirror write = find(WriteThrough.class.getCanonicalName());
    AnnotationMirror invalidate = find(Invalidate.class.getCanonicalName());
    Declaration<TypeMirror> declaration =
        new Declaration<>(
            java.util.Objects.requireNonNull(
                    method.getEnclosingElement(), "a method is enclosed by its type")
                .getSimpleName()
                .toString(),
            method.getSimpleName().toString(),
            method.getParameters().stream()
                .map(p -> new Declaration.Parameter<>(p.getSimpleName().toString(), p.asType()))
                .toList(),
            method.getReturnType(),
            read == null ? null : attributes(CacheAnnotation.Kind.READ_THROUGH, read),
            write == null ? null : attributes(CacheAnnotation.Kind.WRITE_THROUGH, write),
            invalidate == null ? null : attributes(CacheAnnotation.Kind.INVALIDATE, invalidate));
    List<Problem> problems = new ArrayList<>();
    for (dev.readthrough.rules.Problem problem : rules.check(declaration).problems()) {
      CacheAnnotation.Kind kind = problem.annotation();
      AnnotationMirror at =
          kind == CacheAnnotation.Kind.WRITE_THROUGH
              ? write
              : kind == CacheAnnotation.Kind.INVALIDATE ? invalidate : read;
      problems.add(
          new Problem(at != null ? at : firstOf(read, write, invalidate), problem.message()));
    }
    return problems;
  }

  private CacheAnnotation attributes(CacheAnnotation.Kind kind, AnnotationMirror annotation) {
    boolean read = kind == CacheAnnotation.Kind.READ_THROUGH;
    return new CacheAnnotation(
        kind,
        string(annotation, "cache"),
        strings(annotation, "key"),
        kind == CacheAnnotation.Kind.INVALIDATE ? null : seconds(annotation, "ttlSeconds"),
        read ? seconds(annotation, "localTtlSeconds") : null,
        read ? seconds(annotation, "refreshAfterSeconds") : null,
        read ? seconds(annotation, "staleIfErrorSeconds") : null,
        value(annotation, "allEntries") instanceof Boolean b && b,
        kind == CacheAnnotation.Kind.WRITE_THROUGH ? "" : string(annotation, "each"));
  }

  private static AnnotationMirror firstOf(@Nullable AnnotationMirror... annotations) {
    for (AnnotationMirror annotation : annotations) {
      if (annotation != null) {
        return annotation;
      }
    }
    throw new IllegalStateException("a checked method carries a cache annotation");
  }

  /** The method's annotation of that type, or {@code null}. */
  private @Nullable AnnotationMirror find(String annotationType) {
    for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
      TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
      if (type.getQualifiedName().contentEquals(annotationType)) {
        return mirror;
      }
    }
    return null;
  }

  /** The attribute's value, its default if not given, or {@code null} if missing or invalid. */
  private @Nullable Object value(AnnotationMirror annotation, String attribute) {
    Map<? extends ExecutableElement, ? extends AnnotationValue> values =
        elements.getElementValuesWithDefaults(annotation);
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        values.entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(attribute)) {
        return entry.getValue() == null ? null : entry.getValue().getValue();
      }
    }
    return null;
  }

  /** A {@code long} attribute, or {@code null} if missing or invalid (an error already). */
  private @Nullable Long seconds(AnnotationMirror annotation, String attribute) {
    return value(annotation, attribute) instanceof Number n ? n.longValue() : null;
  }

  /** A {@code String} attribute, or {@code null} if missing or invalid (an error already). */
  private @Nullable String string(AnnotationMirror annotation, String attribute) {
    return value(annotation, attribute) instanceof String s ? s : null;
  }

  /**
   * A {@code String[]} attribute; {@code null} if missing or not all strings (an error already).
   */
  private @Nullable List<String> strings(AnnotationMirror annotation, String attribute) {
    Object value = value(annotation, attribute);
    if (value instanceof String single) {
      return List.of(single); // some compilers give a one-element array as its element
    }
    if (!(value instanceof List<?> list)) {
      return null;
    }
    List<String> result = new ArrayList<>(list.size());
    for (Object element : list) {
      if (!(element instanceof AnnotationValue av) || !(av.getValue() instanceof String s)) {
        return null;
      }
      result.add(s);
    }
    return result;
  }
}
