package dev.readthrough.rules;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One annotated method as the rules see it: its name, parameters, return type and cache
 * annotations, whichever model {@code T} describes the types.
 *
 * @param owner the simple name of the declaring class
 */
public record Declaration<T>(
    String owner,
    String name,
    List<Parameter<T>> parameters,
    T returnType,
    @Nullable CacheAnnotation readThrough,
    @Nullable CacheAnnotation writeThrough,
    @Nullable CacheAnnotation invalidate) {

  /** A parameter; its name is {@code null} where the class file does not record it. */
  public record Parameter<T>(@Nullable String name, T type) {}

  public Declaration {
    parameters = List.copyOf(parameters);
  }
}
