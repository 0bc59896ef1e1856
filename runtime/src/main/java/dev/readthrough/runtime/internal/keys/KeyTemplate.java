package dev.readthrough.runtime.internal.keys;

import java.lang.invoke.MethodHandle;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The key of one cached method: a fixed {@code prefix:cache:} head and one resolver per part, built
 * once and applied to each call's arguments.
 */
public final class KeyTemplate {

  /** Slots of {@link #recent}: a power of two. */
  static final int RECENT_SLOTS = 256;

  private final String head;
  private final String method;
  private final List<Part> parts;

  /**
   * The keys last formed for a whole-number argument, one per slot by the argument's value, when
   * the key is that one argument alone ({@code key = "id"} on a {@code long id}); {@code null} for
   * any other template. A call repeating a recent argument reuses its key, which also keeps the
   * key's hash computed. Slots are written without a lock: each holds an immutable pair, and a
   * reader that sees another value's pair, or none, forms the key as usual.
   */
  private final Recent @Nullable [] recent;

  /** The parameter {@link #recent} keys are formed from; unused when it is {@code null}. */
  private final int recentParameter;

  private record Recent(long value, String key) {}

  public KeyTemplate(String head, String method, List<Part> parts) {
    this.head = head;
    this.method = method;
    this.parts = List.copyOf(parts);
    this.recent =
        this.parts.size() == 1 && this.parts.get(0).path.length == 0
            ? new Recent[RECENT_SLOTS]
            : null;
    this.recentParameter = this.parts.isEmpty() ? -1 : this.parts.get(0).parameter;
  }

  /** Returns {@code prefix:cache:}, the start of every key of this method. */
  public String head() {
    return head;
  }

  /**
   * Forms the key for one call.
   *
   * @throws IllegalArgumentException if an argument's type cannot form a stable key
   */
  public String keyFor(@Nullable Object[] args) {
    Recent[] recent = this.recent;
    if (recent != null) {
      Object value = args[recentParameter];
      if (value instanceof Long || value instanceof Integer) {
        long number = ((Number) value).longValue();
        int slot = slot(number);
        Recent seen = recent[slot];
        if (seen != null && seen.value == number) {
          return seen.key;
        }
        String key = form(args);
        recent[slot] = new Recent(number, key);
        return key;
      }
    }
    return form(args);
  }

  /**
   * The key {@link #keyFor} last formed for the whole-number argument {@code value}, if it is still
   * in its slot; {@code null} otherwise, and for a template that does not keep recent keys.
   */
  public @Nullable String recentKey(long value) {
    Recent[] recent = this.recent;
    if (recent == null) {
      return null;
    }
    Recent seen = recent[slot(value)];
    return seen != null && seen.value == value ? seen.key : null;
  }

  private static int slot(long value) {
    return (int) (value ^ (value >>> 32)) & (RECENT_SLOTS - 1);
  }

  private String form(@Nullable Object[] args) {
    StringBuilder key = new StringBuilder(head.length() + 24).append(head);
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        key.append(':');
      }
      Part part = parts.get(i);
      append(key, part.name, part.resolve(args));
    }
    return KeyFormat.limit(key, head.length());
  }

  /**
   * Forms the key of one element of a bulk call: this template's parts, then the element as the
   * last part, exactly the key a single-element method of the cache forms for it.
   *
   * @throws IllegalArgumentException if a value has no stable text
   */
  public String keyForElement(@Nullable Object[] args, @Nullable Object element) {
    StringBuilder key = new StringBuilder(head.length() + 24).append(head);
    for (int i = 0; i < parts.size(); i++) {
      Part part = parts.get(i);
      append(key, part.name, part.resolve(args));
      key.append(':');
    }
    append(key, "each", element);
    return KeyFormat.limit(key, head.length());
  }

  private void append(StringBuilder key, String name, @Nullable Object value) {
    try {
      KeyFormat.appendPart(key, value);
    } catch (KeyFormat.UnsupportedKeyException e) {
      // the declared type was accepted, so only an unchecked cast can bring such a value here
      throw new IllegalArgumentException(
          "cannot form a Redis key for "
              + method
              + ": key part '"
              + name
              + "' holds a "
              + e.type.getName()
              + ", which has no stable text");
    }
  }

  /**
   * Forms the key from parts given directly, as the programmatic invalidation API does: exactly the
   * key a woven method of that cache forms from the same arguments, since a part's text depends on
   * its value alone.
   *
   * @throws IllegalArgumentException if a part's type cannot form a stable key
   */
  public static String keyFor(String head, @Nullable Object[] parts) {
    StringBuilder text = new StringBuilder(head.length() + 32).append(head);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        text.append(':');
      }
      try {
        KeyFormat.appendPart(text, parts[i]);
      } catch (KeyFormat.UnsupportedKeyException e) {
        throw new IllegalArgumentException(
            "key part " + i + " is a " + e.type.getName() + ", which has no stable text");
      }
    }
    return KeyFormat.limit(text, head.length());
  }

  /** One key part: a parameter, optionally followed by getters, accessors or fields. */
  public static final class Part {
    public final String name;
    public final int parameter;
    public final MethodHandle[] path;

    public Part(String name, int parameter, MethodHandle[] path) {
      this.name = name;
      this.parameter = parameter;
      this.path = path.clone();
    }

    public @Nullable Object resolve(@Nullable Object[] args) {
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
