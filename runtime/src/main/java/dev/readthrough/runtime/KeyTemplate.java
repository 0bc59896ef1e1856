package dev.readthrough.runtime;

import java.lang.invoke.MethodHandle;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The key of one cached method: a fixed {@code prefix:cache:} head and one resolver per part,
 * built once and applied to each call's arguments.
 */
final class KeyTemplate {

  private final String head;
  private final String method;
  private final List<Part> parts;

  KeyTemplate(String head, String method, List<Part> parts) {
    this.head = head;
    this.method = method;
    this.parts = List.copyOf(parts);
  }

  /** Returns {@code prefix:cache:}, the start of every key of this method. */
  String head() {
    return head;
  }

  /**
   * Forms the key for one call.
   *
   * @throws IllegalArgumentException if an argument's type cannot form a stable key
   */
  String keyFor(@Nullable Object[] args) {
    StringBuilder key = new StringBuilder(head.length() + 24).append(head);
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        key.append(':');
      }
      Part part = parts.get(i);
      Object value = part.resolve(args);
      try {
        KeyFormat.appendPart(key, value, part.valueType);
      } catch (KeyFormat.UnsupportedKeyException e) {
        throw new IllegalArgumentException(
            "cannot form a Redis key for " + method + ": key part '" + part.name + "' is a "
                + e.type.getName() + ", which has no stable text; use a String, number, enum,"
                + " UUID, java.time value, record or collection of those, or a dotted path to one");
      }
    }
    return KeyFormat.limit(key, head.length());
  }

  /**
   * Forms the key of one element of a bulk call: this template's parts, then the element as the
   * last part, formatted exactly as a single-element method of the cache formats its key.
   *
   * @param plainElement whether the declared element type is always plain text
   */
  String keyForElement(@Nullable Object[] args, @Nullable Object element, boolean plainElement) {
    StringBuilder key = new StringBuilder(head.length() + 24).append(head);
    for (int i = 0; i < parts.size(); i++) {
      Part part = parts.get(i);
      append(key, part.name, part.resolve(args), part.valueType);
      key.append(':');
    }
    append(key, "each", element, plainElement);
    return KeyFormat.limit(key, head.length());
  }

  private void append(StringBuilder key, String name, @Nullable Object value, boolean plain) {
    try {
      KeyFormat.appendPart(key, value, plain);
    } catch (KeyFormat.UnsupportedKeyException e) {
      throw new IllegalArgumentException(
          "cannot form a Redis key for " + method + ": key part '" + name + "' is a "
              + e.type.getName() + ", which has no stable text; use a String, number, enum,"
              + " UUID, java.time value, record or collection of those, or a dotted path to one");
    }
  }

  /** Forms the key from parts given directly, as the programmatic invalidation API does. */
  static String keyFor(String head, @Nullable Object[] parts) {
    StringBuilder text = new StringBuilder(head.length() + 32).append(head);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        text.append(':');
      }
      Object value = parts[i];
      boolean plain = value == null || KeyFormat.isValueType(value.getClass());
      try {
        KeyFormat.appendPart(text, value, plain);
      } catch (KeyFormat.UnsupportedKeyException e) {
        throw new IllegalArgumentException(
            "key part " + i + " is a " + e.type.getName() + ", which has no stable text");
      }
    }
    return KeyFormat.limit(text, head.length());
  }

  /** One key part: a parameter, optionally followed by getters, accessors or fields. */
  static final class Part {
    final String name;
    final int parameter;
    final MethodHandle[] path;
    final boolean valueType;

    Part(String name, int parameter, MethodHandle[] path, boolean valueType) {
      this.name = name;
      this.parameter = parameter;
      this.path = path.clone();
      this.valueType = valueType;
    }

    @Nullable Object resolve(@Nullable Object[] args) {
      Object value = args[parameter];
      for (MethodHandle step : path) {
        if (value == null) {
          return null;
        }
        try {
          value = step.invoke(value);
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Throwable e) {
          throw new IllegalStateException("reading key path '" + name + "' threw " + e, e);
        }
      }
      return value;
    }
  }
}
