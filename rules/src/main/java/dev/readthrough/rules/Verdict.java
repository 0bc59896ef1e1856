package dev.readthrough.rules;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the rules found in one declaration: its problems, and, for each annotation, the shape the
 * rules derived from it (the key parts, the {@code each} parameter, the cached type), which the
 * runtime builds its plan from once there are no problems.
 *
 * @param description how messages name the method: {@code UserService.find(long)}
 */
public record Verdict<T>(String description, List<Problem> problems, List<Shape<T>> shapes) {

  /**
   * What one annotation of a valid declaration means.
   *
   * @param key the key parts, in order, before the element of {@code each}
   * @param each the {@code each} parameter, or {@code null} for a single-entry method
   * @param cached the type of what an entry holds (inside the future for async methods, the map's
   *     value type with {@code each}); {@code null} for {@code @Invalidate}
   * @param async whether the method returns a {@code CompletableFuture} or {@code CompletionStage}
   */
  public record Shape<T>(
      CacheAnnotation.Kind annotation,
      List<KeyPart<T>> key,
      @Nullable Each<T> each,
      @Nullable T cached,
      boolean async) {

    public Shape {
      key = List.copyOf(key);
    }
  }

  /**
   * One key part: parameter {@code parameter}, read through {@code path}, of declared type {@code
   * type}.
   *
   * @param name the key entry ({@code "user.id"}), or the parameter's name when the key is empty
   */
  public record KeyPart<T>(String name, int parameter, List<TypeModel.Member<T>> path, T type) {

    public KeyPart {
      path = List.copyOf(path);
    }
  }

  /** The parameter {@code each} names: its position, the kind of container and the element type. */
  public record Each<T>(String name, int parameter, Container container, T element) {}

  /**
   * The declared kind of an {@code each} parameter, which is the kind the method is called with.
   */
  public enum Container {
    COLLECTION,
    LIST,
    SET,
    ARRAY
  }

  public Verdict {
    problems = List.copyOf(problems);
    shapes = List.copyOf(shapes);
  }

  /** The problem messages, in order. */
  public List<String> messages() {
    return problems.stream().map(Problem::message).toList();
  }

  /** The shape of that annotation, or {@code null} if the method has none or it is invalid. */
  public @Nullable Shape<T> shape(CacheAnnotation.Kind annotation) {
    for (Shape<T> shape : shapes) {
      if (shape.annotation() == annotation) {
        return shape;
      }
    }
    return null;
  }
}
