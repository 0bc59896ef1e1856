package dev.readthrough.rules;

import dev.readthrough.rules.CacheAnnotation.Kind;
import dev.readthrough.rules.Verdict.Container;
import dev.readthrough.rules.Verdict.Each;
import dev.readthrough.rules.Verdict.KeyPart;
import dev.readthrough.rules.Verdict.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The rules of {@code @ReadThrough}, {@code @WriteThrough} and {@code @Invalidate} declarations and
 * the messages that report a broken one: the one copy that the annotation processor applies at
 * build time and the runtime at a method's first call.
 *
 * <p>They are: {@code @ReadThrough} is combined with neither {@code @WriteThrough} nor
 * {@code @Invalidate}; {@code ttlSeconds} is positive and at most {@link Integer#MAX_VALUE}; {@code
 * localTtlSeconds}, {@code refreshAfterSeconds} and {@code staleIfErrorSeconds} are not negative,
 * {@code localTtlSeconds} is at most {@code ttlSeconds}, a positive {@code refreshAfterSeconds}
 * below it and {@code staleIfErrorSeconds} at most {@link Integer#MAX_VALUE}; a caching method
 * returns a value, a {@code CompletableFuture<T>} or a {@code CompletionStage<T>} (no other
 * future); explicit cache names match {@link #NAME}; every {@code key} entry names a parameter and
 * each dotted step resolves to a getter {@code getX()}, a boolean {@code isX()}, a method or record
 * accessor {@code x()} or a field {@code x}, tried in that order; every key part has a type whose
 * values each have one text of their own ({@link KeyTypeRule}); {@code each} names a {@code
 * Collection<E>}, {@code List<E>}, {@code Set<E>} or {@code E[]} parameter that {@code key} leaves
 * out, and a bulk {@code @ReadThrough} returns {@code Map<E, V>}; {@code allEntries} excludes
 * {@code key} and {@code each}; the cached value's type reaches no stream, thread, socket, JDBC
 * resource, class loader or functional interface ({@link ValueTypeRule}). Every problem is
 * reported, in declaration order, each message naming the method and the attribute at fault.
 */
public final class DeclarationRules<T> {

  /** Cache names and key prefixes: readable, no key separator, no SCAN pattern characters. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._\\-/#@$]+");

  private static final String CACHE_NAME_RULE =
      "a cache name may hold letters, digits and . _ - / # @ $ only (no ':', spaces or * ? [ ])";

  private final TypeModel<T> model;
  private final TypeNames<T> names;
  private final KeyTypeRule<T> keyTypes;
  private final ValueTypeRule<T> valueTypes;

  public DeclarationRules(TypeModel<T> model) {
    this.model = Objects.requireNonNull(model, "model");
    this.names = new TypeNames<>(model);
    this.keyTypes = new KeyTypeRule<>(model, names);
    this.valueTypes = new ValueTypeRule<>(model, names);
  }

  /**
   * Why a value of {@code type} itself is not data that can be cached, as the value-type rule says
   * it: {@code ", which is an open stream of bytes, not the bytes themselves: it cannot be cached;
   * return the bytes (byte[]) ... instead of an InputStream"}; {@code null} if nothing says so.
   */
  public @Nullable String uncacheable(T type) {
    return valueTypes.why(type);
  }

  /** {@code UserService.find(long)}: how messages name a method. */
  public String describe(Declaration<T> declaration) {
    return declaration.owner()
        + "."
        + declaration.name()
        + declaration.parameters().stream()
            .map(p -> names.simple(p.type()))
            .collect(Collectors.joining(",", "(", ")"));
  }

  /** Applies every rule to the declaration. */
  public Verdict<T> check(Declaration<T> declaration) {
    return new Check(declaration).run();
  }

  /** The checks of one declaration and the problems they found. */
  private final class Check {
    private final Declaration<T> declaration;
    private final String description;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Shape<T>> shapes = new ArrayList<>();

    Check(Declaration<T> declaration) {
      this.declaration = declaration;
      this.description = describe(declaration);
    }

    Verdict<T> run() {
      CacheAnnotation read = declaration.readThrough();
      CacheAnnotation write = declaration.writeThrough();
      CacheAnnotation invalidate = declaration.invalidate();
      if (read != null && write != null) {
        report(
            Kind.READ_THROUGH,
            "@ReadThrough and @WriteThrough cannot both annotate " + description);
      }
      if (read != null && invalidate != null) {
        report(
            Kind.READ_THROUGH,
            "@ReadThrough and @Invalidate cannot both annotate "
                + description
                + ": a hit would skip the invalidation");
      }
      if (read != null) {
        store(read);
      }
      if (write != null) {
        store(write);
      }
      if (invalidate != null) {
        invalidate(invalidate);
      }
      if (read == null && write == null && invalidate == null) {
        problems.add(new Problem(null, description + " carries no Readthrough annotation"));
      }
      return new Verdict<>(description, problems, problems.isEmpty() ? shapes : List.of());
    }

    /** {@code @ReadThrough} and {@code @WriteThrough}: TTLs, return type, key, each, cache name. */
    private void store(CacheAnnotation annotation) {
      int before = problems.size();
      Long ttl = annotation.ttlSeconds();
      if (ttl != null && ttl <= 0) {
        report(
            annotation.kind(),
            annotation.kind()
                + "(ttlSeconds = "
                + ttl
                + ") on "
                + description
                + ": ttlSeconds must be positive");
      } else if (ttl != null && ttl > Integer.MAX_VALUE) {
        report(
            annotation.kind(),
            annotation.kind()
                + "(ttlSeconds = "
                + ttl
                + ") on "
                + description
                + ": ttlSeconds must be at most "
                + Integer.MAX_VALUE
                + " (about 68 years)");
      }
      freshness(annotation, ttl != null && ttl > 0 && ttl <= Integer.MAX_VALUE ? ttl : null);
      Returned returned = returned(annotation);
      Each<T> each = each(annotation);
      List<KeyPart<T>> key = key(annotation);
      T cached = returned == null ? null : returned.type;
      if (returned != null && each != null) {
        cached = bulkValue(annotation, returned, each);
      }
      if (cached != null) {
        ValueTypeRule.Refusal<T> refusal = valueTypes.refusal(cached);
        if (refusal != null) {
          report(
              annotation.kind(),
              annotation.kind() + " on " + description + ": " + valueTypes.message(refusal));
          cached = null;
        }
      }
      String cache = annotation.cache();
      if (cache != null && (annotation.kind() != Kind.READ_THROUGH || !cache.isEmpty())) {
        cacheName(annotation, cache);
      }
      if (problems.size() == before && key != null && cached != null && returned != null) {
        shapes.add(new Shape<>(annotation.kind(), key, each, cached, returned.async));
      }
    }

    /**
     * {@code @ReadThrough}'s {@code localTtlSeconds}, {@code refreshAfterSeconds} and {@code
     * staleIfErrorSeconds}: none negative, a local copy that lives no longer than the entry, a
     * refresh that can start before the entry expires, and a stale time that, added to {@code
     * ttlSeconds}, cannot overflow in milliseconds. The comparisons with {@code ttlSeconds} wait
     * for a valid one ({@code ttl} is {@code null} otherwise), so that one mistake is one problem.
     */
    private void freshness(CacheAnnotation annotation, @Nullable Long ttl) {
      Kind kind = annotation.kind();
      Long local = annotation.localTtlSeconds();
      if (local != null && local < 0) {
        negative(kind, "localTtlSeconds", local, "0, the default, keeps no local copy");
      } else if (local != null && ttl != null && local > ttl) {
        report(
            kind,
            kind
                + "(localTtlSeconds = "
                + local
                + ", ttlSeconds = "
                + ttl
                + ") on "
                + description
                + ": localTtlSeconds must be at most ttlSeconds, as a local copy never outlives"
                + " the entry in Redis");
      }
      Long refresh = annotation.refreshAfterSeconds();
      if (refresh != null && refresh < 0) {
        negative(kind, "refreshAfterSeconds", refresh, "0, the default, never reloads ahead");
      } else if (refresh != null && ttl != null && refresh > 0 && refresh >= ttl) {
        report(
            kind,
            kind
                + "(refreshAfterSeconds = "
                + refresh
                + ", ttlSeconds = "
                + ttl
                + ") on "
                + description
                + ": refreshAfterSeconds must be below ttlSeconds, or the entry expires before"
                + " a hit can reload it ahead");
      }
      Long stale = annotation.staleIfErrorSeconds();
      if (stale != null && stale < 0) {
        negative(kind, "staleIfErrorSeconds", stale, "0, the default, keeps no stale entry");
      } else if (stale != null && stale > Integer.MAX_VALUE) {
        report(
            kind,
            kind
                + "(staleIfErrorSeconds = "
                + stale
                + ") on "
                + description
                + ": staleIfErrorSeconds must be at most "
                + Integer.MAX_VALUE
                + " (about 68 years)");
      }
    }

    private void negative(Kind kind, String attribute, long value, String zero) {
      report(
          kind,
          kind
              + "("
              + attribute
              + " = "
              + value
              + ") on "
              + description
              + ": "
              + attribute
              + " must not be negative; "
              + zero);
    }

    private void invalidate(CacheAnnotation annotation) {
      int before = problems.size();
      if (annotation.cache() != null) {
        cacheName(annotation, annotation.cache());
      }
      List<String> key = annotation.key();
      String each = annotation.each();
      List<KeyPart<T>> parts = List.of();
      Each<T> element = null;
      if (annotation.allEntries()) {
        if (key != null && !key.isEmpty()) {
          report(
              annotation.kind(),
              "@Invalidate(allEntries = true, key = "
                  + quoted(key)
                  + ") on "
                  + description
                  + ": key and allEntries = true exclude each other");
        }
        if (each != null && !each.isEmpty()) {
          report(
              annotation.kind(),
              "@Invalidate(allEntries = true, each = \""
                  + each
                  + "\") on "
                  + description
                  + ": each and allEntries = true exclude each other");
        }
      } else {
        element = each(annotation);
        parts = key(annotation);
      }
      if (problems.size() == before && parts != null) {
        shapes.add(new Shape<>(annotation.kind(), parts, element, null, false));
      }
    }

    /** What a caching method returns and what it caches of it, or {@code null} after a problem. */
    private @Nullable Returned returned(CacheAnnotation annotation) {
      T type = declaration.returnType();
      if (model.kind(type) == TypeModel.Kind.VOID || names.is(type, "java.lang.Void")) {
        report(
            annotation.kind(),
            annotation.kind()
                + " on "
                + description
                + ": a void method returns nothing to cache; remove the annotation or return the value");
        return null;
      }
      if (names.is(type, "java.util.concurrent.CompletableFuture")
          || names.is(type, "java.util.concurrent.CompletionStage")) {
        String future = model.simpleName(type);
        List<T> arguments = model.typeArguments(type);
        if (arguments.size() != 1) {
          report(
              annotation.kind(),
              annotation.kind()
                  + " on "
                  + description
                  + ": returns a raw "
                  + model.name(type)
                  + "; declare "
                  + future
                  + "<T>, with T the type it completes"
                  + " with, which is what is cached");
          return null;
        }
        T result = arguments.get(0);
        if (model.kind(result) == TypeModel.Kind.WILDCARD) {
          T bound = names.bound(result);
          if (bound == null) {
            report(
                annotation.kind(),
                annotation.kind()
                    + " on "
                    + description
                    + ": returns "
                    + names.name(type)
                    + ", whose result type is unknown; declare "
                    + future
                    + "<T>, with T the type it completes with, which is what is cached");
            return null;
          }
          result = bound;
        }
        if (names.is(result, "java.lang.Void")) {
          report(
              annotation.kind(),
              annotation.kind()
                  + " on "
                  + description
                  + ": returns "
                  + names.name(type)
                  + ", which completes with nothing to cache; remove the"
                  + " annotation or complete the future with the value");
          return null;
        }
        return new Returned(result, true);
      }
      if (names.isDeclared(type)
          && (model.asSupertype(type, "java.util.concurrent.Future") != null
              || model.asSupertype(type, "java.util.concurrent.CompletionStage") != null)) {
        report(
            annotation.kind(),
            annotation.kind()
                + " on "
                + description
                + ": returns "
                + names.name(type)
                + ", which the engine cannot complete;"
                + " return CompletableFuture or CompletionStage");
        return null;
      }
      return new Returned(type, false);
    }

    /**
     * The value type of a bulk read-through's {@code Map<E, V>}, or {@code null} after a problem.
     */
    private @Nullable T bulkValue(CacheAnnotation annotation, Returned returned, Each<T> each) {
      String at = annotation.kind() + "(each = \"" + each.name() + "\") on " + description;
      String element = names.boxedName(each.element());
      T map = returned.type;
      List<T> arguments = names.is(map, "java.util.Map") ? model.typeArguments(map) : List.of();
      if (arguments.size() != 2) {
        report(
            annotation.kind(),
            at
                + ": returns "
                + names.name(declaration.returnType())
                + "; a bulk read-through returns a Map from each element to its value"
                + " (or a CompletableFuture or CompletionStage of one): Map<"
                + element
                + ", V>");
        return null;
      }
      T key = arguments.get(0);
      T bound = names.bound(key);
      if (bound == null || !names.boxedName(bound).equals(element)) {
        report(
            annotation.kind(),
            at
                + ": returns "
                + names.name(declaration.returnType())
                + ", whose keys are "
                + names.name(key)
                + ", not the elements of '"
                + each.name()
                + "'; declare Map<"
                + element
                + ", V>");
        return null;
      }
      T value = arguments.get(1);
      T valueBound = names.bound(value);
      return valueBound == null ? value : valueBound;
    }

    /** The parameter {@code each} names, or {@code null} if none or after a problem. */
    private @Nullable Each<T> each(CacheAnnotation annotation) {
      String each = annotation.each();
      if (each == null || each.isEmpty()) {
        return null;
      }
      String at = annotation.kind() + "(each = \"" + each + "\") on " + description;
      int index = parameterIndex(each);
      if (index < 0) {
        report(annotation.kind(), at + ": " + noParameter());
        return null;
      }
      T type = declaration.parameters().get(index).type();
      Container container;
      T element;
      if (model.kind(type) == TypeModel.Kind.ARRAY) {
        container = Container.ARRAY;
        element = model.component(type);
      } else {
        container =
            names.is(type, "java.util.Collection")
                ? Container.COLLECTION
                : names.is(type, "java.util.List")
                    ? Container.LIST
                    : names.is(type, "java.util.Set") ? Container.SET : null;
        if (container == null) {
          report(
              annotation.kind(),
              at
                  + ": parameter '"
                  + each
                  + "' has type "
                  + names.name(type)
                  + "; each takes a Collection<E>, List<E>, Set<E> or E[], with E the type of one"
                  + " element's key part");
          return null;
        }
        List<T> arguments = model.typeArguments(type);
        if (arguments.size() != 1) {
          report(
              annotation.kind(),
              at
                  + ": parameter '"
                  + each
                  + "' has the raw type "
                  + model.name(type)
                  + "; declare "
                  + model.simpleName(type)
                  + "<E>, with E the type"
                  + " of one element's key part");
          return null;
        }
        element = arguments.get(0);
      }
      KeyTypeRule.Refusal refusal = keyTypes.refusal(element);
      if (refusal != null) {
        report(
            annotation.kind(),
            at
                + ": an element of '"
                + each
                + "' has type "
                + names.name(element)
                + refusal.path()
                + ", which "
                + refusal.reason().text);
        return null;
      }
      T bound = names.bound(element);
      return new Each<>(each, index, container, bound == null ? element : bound);
    }

    /** The key parts before the element, or {@code null} after a problem or a missing key. */
    private @Nullable List<KeyPart<T>> key(CacheAnnotation annotation) {
      List<String> key = annotation.key();
      if (key == null) {
        return null;
      }
      int before = problems.size();
      String each = annotation.each() == null ? "" : annotation.each();
      List<KeyPart<T>> parts = new ArrayList<>();
      List<Declaration.Parameter<T>> parameters = declaration.parameters();
      if (key.isEmpty()) {
        for (int i = 0; i < parameters.size(); i++) {
          Declaration.Parameter<T> parameter = parameters.get(i);
          if (!each.isEmpty() && each.equals(parameter.name())) {
            continue;
          }
          String name = parameter.name() != null ? parameter.name() : "arg" + i;
          String at = annotation.kind() + "(key = {}) on " + description;
          if (keyType(annotation, at, name, parameter.type())) {
            parts.add(new KeyPart<>(name, i, List.of(), parameter.type()));
          }
        }
      }
      for (String entry : key) {
        String at = annotation.kind() + "(key = \"" + entry + "\") on " + description;
        if (entry.isBlank()) {
          report(annotation.kind(), at + ": key has an empty entry");
          continue;
        }
        String[] segments = entry.split("\\.", -1);
        if (!each.isEmpty() && segments[0].equals(each)) {
          report(
              annotation.kind(),
              annotation.kind()
                  + "(each = \""
                  + each
                  + "\", key = \""
                  + entry
                  + "\") on "
                  + description
                  + ": key must not name the each parameter, whose element"
                  + " is the last key part already");
          continue;
        }
        int index = parameterIndex(segments[0]);
        if (index < 0) {
          report(annotation.kind(), at + ": " + noParameter());
          continue;
        }
        T type = parameters.get(index).type();
        List<TypeModel.Member<T>> path = new ArrayList<>();
        for (int s = 1; s < segments.length && type != null; s++) {
          TypeModel.Member<T> step = property(type, segments[s]);
          if (step == null) {
            report(
                annotation.kind(),
                at
                    + ": "
                    + names.simple(type)
                    + " has no getter, record accessor or field named '"
                    + segments[s]
                    + "'");
            type = null;
          } else {
            path.add(step);
            type = step.type();
          }
        }
        if (type != null && keyType(annotation, at, entry, type)) {
          parts.add(new KeyPart<>(entry, index, path, type));
        }
      }
      return problems.size() == before ? parts : null;
    }

    /** Checks one key part's type; reports and returns {@code false} if it is refused. */
    private boolean keyType(CacheAnnotation annotation, String at, String part, T type) {
      KeyTypeRule.Refusal refusal = keyTypes.refusal(type);
      if (refusal == null) {
        return true;
      }
      String reason =
          refusal.path().isEmpty() ? refusal.reason().text(part) : refusal.reason().text;
      report(
          annotation.kind(),
          at
              + ": key part '"
              + part
              + "' has type "
              + names.name(type)
              + refusal.path()
              + ", which "
              + reason);
      return false;
    }

    /**
     * The property of a dotted key step: {@code getX()}, {@code isX()} returning a boolean, {@code
     * x()}, then the field {@code x}; {@code null} if there is none.
     */
    private TypeModel.@Nullable Member<T> property(T declared, String property) {
      T type =
          model.kind(declared) == TypeModel.Kind.TYPE_VARIABLE ? names.bound(declared) : declared;
      if (type == null || !names.isDeclared(type) || property.isEmpty()) {
        return null;
      }
      String capitalized = Character.toUpperCase(property.charAt(0)) + property.substring(1);
      for (String name : List.of("get" + capitalized, "is" + capitalized, property)) {
        TypeModel.Member<T> getter = model.method(type, name);
        if (getter == null || model.kind(getter.type()) == TypeModel.Kind.VOID) {
          continue;
        }
        boolean booleanLike = names.boxedName(getter.type()).equals("java.lang.Boolean");
        if (!name.startsWith("is") || name.equals(property) || booleanLike) {
          return getter;
        }
      }
      return model.field(type, property);
    }

    private void cacheName(CacheAnnotation annotation, String cache) {
      String at = annotation.kind() + "(cache = \"" + cache + "\") on " + description;
      if (cache.isEmpty()) {
        report(annotation.kind(), at + ": cache must not be empty");
      } else if (!NAME.matcher(cache).matches()) {
        report(annotation.kind(), at + ": " + CACHE_NAME_RULE);
      }
    }

    private int parameterIndex(String name) {
      List<Declaration.Parameter<T>> parameters = declaration.parameters();
      for (int i = 0; i < parameters.size(); i++) {
        if (name.equals(parameters.get(i).name())) {
          return i;
        }
      }
      return -1;
    }

    private String noParameter() {
      List<String> parameterNames =
          declaration.parameters().stream()
              .map(Declaration.Parameter::name)
              .collect(Collectors.toList());
      if (!parameterNames.isEmpty() && parameterNames.stream().allMatch(Objects::isNull)) {
        return "parameter names are not available; weave the class from source with ajc or"
            + " compile with -parameters";
      }
      return "names no parameter; parameters are " + Arrays.toString(parameterNames.toArray());
    }

    private void report(Kind annotation, String message) {
      problems.add(new Problem(annotation, message));
    }
  }

  /** What a caching method's result holds: the cached type, and whether it comes in a future. */
  private final class Returned {
    final T type;
    final boolean async;

    Returned(T type, boolean async) {
      this.type = type;
      this.async = async;
    }
  }

  private static String quoted(List<String> key) {
    return key.size() == 1
        ? "\"" + key.get(0) + "\""
        : key.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(", ", "{", "}"));
  }
}
