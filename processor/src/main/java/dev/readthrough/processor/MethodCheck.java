package dev.readthrough.processor;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import org.jspecify.annotations.Nullable;

/**
 * The problems with the cache annotations of one method, found by the rules and worded like the
 * messages of the runtime's {@code Plans}, which applies the same checks at the first call.
 */
final class MethodCheck {

  /** Cache names: readable, no key separator, no SCAN pattern characters. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._\\-/#@$]+");

  /** One problem, reported on the method and the annotation at fault. */
  record Problem(AnnotationMirror annotation, String message) {}

  private final ExecutableElement method;
  private final KeyTypes keyTypes;
  private final String description;
  private final List<String> parameterNames;
  private final List<Problem> problems = new ArrayList<>();

  MethodCheck(ExecutableElement method, KeyTypes keyTypes) {
    this.method = method;
    this.keyTypes = keyTypes;
    this.description = describe(method, keyTypes);
    this.parameterNames = method.getParameters().stream()
        .map(p -> p.getSimpleName().toString())
        .collect(Collectors.toList());
  }

  /** {@code UserService.find(long)}: how messages name a method, as the runtime does. */
  static String describe(ExecutableElement method, KeyTypes keyTypes) {
    // a method is always enclosed by its type; only a module has no enclosing element
    return Objects.requireNonNull(method.getEnclosingElement()).getSimpleName()
        + "." + method.getSimpleName()
        + method.getParameters().stream()
            .map(p -> keyTypes.simpleName(p.asType()))
            .collect(Collectors.joining(",", "(", ")"));
  }

  /** Every problem with the method's annotations, in declaration order; empty if none. */
  List<Problem> problems() {
    AnnotationMirror read = find(ReadThrough.class.getCanonicalName());
    AnnotationMirror write = find(WriteThrough.class.getCanonicalName());
    AnnotationMirror invalidate = find(Invalidate.class.getCanonicalName());

    if (read != null && write != null) {
      report(read, "@ReadThrough and @WriteThrough cannot both annotate " + description);
    }
    if (read != null && invalidate != null) {
      report(read, "@ReadThrough and @Invalidate cannot both annotate " + description
          + ": a hit would skip the invalidation");
    }
    if (read != null) {
      checkStore(read, "@ReadThrough");
      String cache = string(read, "cache");
      if (cache != null && !cache.isEmpty()) {
        checkCacheName(read, "@ReadThrough", cache);
      }
    }
    if (write != null) {
      checkStore(write, "@WriteThrough");
      checkCacheName(write, "@WriteThrough", string(write, "cache"));
    }
    if (invalidate != null) {
      checkCacheName(invalidate, "@Invalidate", string(invalidate, "cache"));
      boolean allEntries = value(invalidate, "allEntries") instanceof Boolean b && b;
      List<String> key = strings(invalidate, "key");
      if (allEntries) {
        if (key != null && !key.isEmpty()) {
          report(invalidate, "@Invalidate(allEntries = true, key = " + quoted(key) + ") on "
              + description + ": key and allEntries = true exclude each other");
        }
      } else if (key != null) {
        checkKey(invalidate, "@Invalidate", key);
      }
    }
    return List.copyOf(problems);
  }

  /** Checks what {@code @ReadThrough} and {@code @WriteThrough} share: TTL, return type, key. */
  private void checkStore(AnnotationMirror annotation, String name) {
    Object ttl = value(annotation, "ttlSeconds");
    if (ttl instanceof Number seconds && seconds.longValue() <= 0) {
      report(annotation, name + "(ttlSeconds = " + seconds.longValue() + ") on " + description
          + ": ttlSeconds must be positive");
    }
    TypeMirror returned = method.getReturnType();
    if (returned.getKind() == TypeKind.VOID || keyTypes.is(returned, "java.lang.Void")) {
      report(annotation, name + " on " + description
          + ": a void method returns nothing to cache; remove the annotation or return the value");
    }
    List<String> key = strings(annotation, "key");
    if (key != null) {
      checkKey(annotation, name, key);
    }
  }

  private void checkCacheName(AnnotationMirror annotation, String name, @Nullable String cache) {
    if (cache == null) {
      return; // missing required attribute: the compiler reports that itself
    }
    if (cache.isEmpty()) {
      report(annotation, name + "(cache = \"\") on " + description + ": cache must not be empty");
    } else if (!NAME.matcher(cache).matches()) {
      report(annotation, name + "(cache = \"" + cache + "\") on " + description
          + ": a cache name may hold letters, digits and . _ - / # @ $ only"
          + " (no ':', spaces or * ? [ ])");
    }
  }

  private void checkKey(AnnotationMirror annotation, String name, List<String> key) {
    List<? extends VariableElement> parameters = method.getParameters();
    if (key.isEmpty()) {
      for (VariableElement parameter : parameters) {
        String part = parameter.getSimpleName().toString();
        checkKeyType(annotation, name, part, parameter.asType());
      }
      return;
    }
    for (String entry : key) {
      if (entry.isBlank()) {
        report(annotation, name + "(key = \"" + entry + "\") on " + description
            + ": key has an empty entry");
        continue;
      }
      String[] segments = entry.split("\\.", -1);
      int index = parameterNames.indexOf(segments[0]);
      if (index < 0) {
        report(annotation, name + "(key = \"" + entry + "\") on " + description
            + ": names no parameter; parameters are " + parameterNames);
        continue;
      }
      TypeMirror type = parameters.get(index).asType();
      for (int s = 1; s < segments.length && type != null; s++) {
        TypeMirror next = keyTypes.property(type, segments[s]);
        if (next == null) {
          report(annotation, name + "(key = \"" + entry + "\") on " + description + ": "
              + keyTypes.simpleName(type) + " has no getter, record accessor or field named '"
              + segments[s] + "'");
        }
        type = next;
      }
      if (type != null) {
        checkKeyType(annotation, name, entry, type);
      }
    }
  }

  private void checkKeyType(AnnotationMirror annotation, String name, String part, TypeMirror type) {
    if (keyTypes.is(type, "java.util.Optional")) {
      report(annotation, name + " on " + description + ": key part '" + part
          + "' is an Optional; pass the value or null instead");
    } else if (!keyTypes.isSupported(type)) {
      String hint = type.getKind() == TypeKind.ARRAY
          ? "use an array of Strings, numbers, enums, UUIDs, java.time values or records"
          : "name one of its properties (key = \"" + part + ".id\") or use a String, number,"
              + " enum, UUID, java.time value or record";
      report(annotation, name + " on " + description + ": key part '" + part + "' has type "
          + keyTypes.binaryName(type) + ", which cannot form a stable key; " + hint);
    }
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
        keyTypes.valuesWithDefaults(annotation);
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : values.entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(attribute)) {
        return entry.getValue() == null ? null : entry.getValue().getValue();
      }
    }
    return null;
  }

  /** A {@code String} attribute, or {@code null} if missing or invalid (an error already). */
  private @Nullable String string(AnnotationMirror annotation, String attribute) {
    return value(annotation, attribute) instanceof String s ? s : null;
  }

  /** A {@code String[]} attribute; {@code null} if missing or not all strings (an error already). */
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

  private static String quoted(List<String> key) {
    return key.size() == 1
        ? "\"" + key.get(0) + "\""
        : key.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(", ", "{", "}"));
  }

  private void report(AnnotationMirror annotation, String message) {
    problems.add(new Problem(annotation, message));
  }
}
