package dev.readthrough.runtime.internal.keys;

import dev.readthrough.rules.Verdict.Container;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code each} parameter of a bulk method: which argument holds the elements, how to read them
 * in order, and how to pass a subset of them back to the method as the declared kind.
 *
 * @param index the parameter's position
 * @param shape the declared kind of collection, as the declaration rules read it
 * @param component the element class of an array parameter ({@code Object.class} otherwise)
 */
public record EachParameter(int index, Container shape, Class<?> component) {

  /** The elements of the call's argument, in its order; none for a null argument. */
  public List<@Nullable Object> elements(@Nullable Object[] args) {
    Object argument = args[index];
    if (argument == null) {
      return List.of();
    }
    if (shape == Container.ARRAY) {
      int length = Array.getLength(argument);
      List<@Nullable Object> elements = new ArrayList<>(length);
      for (int i = 0; i < length; i++) {
        elements.add(Array.get(argument, i));
      }
      return elements;
    }
    return new ArrayList<>((Collection<?>) argument);
  }

  /** The argument that passes {@code elements} to the method, as the declared kind. */
  public Object rebuild(List<@Nullable Object> elements) {
    return switch (shape) {
      case ARRAY -> {
        Object array = Array.newInstance(component, elements.size());
        for (int i = 0; i < elements.size(); i++) {
          Array.set(array, i, elements.get(i));
        }
        yield array;
      }
      case SET -> new LinkedHashSet<>(elements); // keeps the argument's order
      default -> new ArrayList<>(elements);
    };
  }
}
