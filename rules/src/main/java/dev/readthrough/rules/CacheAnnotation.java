package dev.readthrough.rules;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The attributes of one cache annotation on a method, as the rules read them. A {@code null}
 * attribute is missing or invalid, which the compiler reports itself; the rules then skip it.
 *
 * @param ttlSeconds {@code null} for {@code @Invalidate}
 * @param localTtlSeconds {@code null} for {@code @WriteThrough} and {@code @Invalidate}, which have
 *     no such attribute
 * @param refreshAfterSeconds {@code null} for {@code @WriteThrough} and {@code @Invalidate}
 * @param staleIfErrorSeconds {@code null} for {@code @WriteThrough} and {@code @Invalidate}
 * @param each empty when not given, and for {@code @WriteThrough}, which has no such attribute
 */
public record CacheAnnotation(
    Kind kind,
    @Nullable String cache,
    @Nullable List<String> key,
    @Nullable Long ttlSeconds,
    @Nullable Long localTtlSeconds,
    @Nullable Long refreshAfterSeconds,
    @Nullable Long staleIfErrorSeconds,
    boolean allEntries,
    @Nullable String each) {

  /** The three cache annotations. */
  public enum Kind {
    READ_THROUGH("@ReadThrough"),
    WRITE_THROUGH("@WriteThrough"),
    INVALIDATE("@Invalidate");

    private final String display;

    Kind(String display) {
      this.display = display;
    }

    /** {@code @ReadThrough}: how messages name the annotation. */
    @Override
    public String toString() {
      return display;
    }
  }

  public CacheAnnotation {
    key = key == null ? null : List.copyOf(key);
  }
}
