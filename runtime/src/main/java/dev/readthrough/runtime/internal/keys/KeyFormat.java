package dev.readthrough.runtime.internal.keys;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Turns key arguments into the readable, injective text of a Redis key.
 *
 * <p>A part is the argument's text: strings and other char sequences, numbers, booleans, chars,
 * enum names, UUIDs and java.time values as {@code toString()} gives them, with {@code \} and
 * {@code :} escaped by {@code \}. {@code null} is {@code \0}, which no escaped text can produce.
 * Records become {@code (a,b)}, lists and arrays {@code [a,b]}, sets {@code [a,b]} sorted by
 * element text, maps {@code {k=v,...}} sorted by entry text; inside these, {@code , ( ) [ ] { } =}
 * are escaped too. When the parts together exceed {@value #MAX_PARTS_LENGTH} characters, the key
 * keeps the first {@value #HASHED_HEAD} and appends {@code ~} and the SHA-256 of the whole text;
 * hashed keys are longer than any unhashed one, so the two can never meet.
 *
 * <p>The text depends on the value alone, never on the type a parameter declares, so that {@code
 * engine.invalidate(cache, parts...)} forms exactly the key of a woven method given the same
 * arguments. Distinct arguments get distinct keys because the declaration rules ({@code
 * dev.readthrough.rules}) only accept key types whose values each have one text of their own: a
 * parameter cannot be declared {@code Object} and receive both {@code 1} and {@code "1"}.
 */
public final class KeyFormat {

  public static final int MAX_PARTS_LENGTH = 256;
  public static final int HASHED_HEAD = 200;
  public static final String NULL = "\\0";

  private KeyFormat() {}

  /**
   * Appends one top-level part.
   *
   * @throws UnsupportedKeyException if the value's type cannot form a stable key
   */
  public static void appendPart(StringBuilder key, @Nullable Object value)
      throws UnsupportedKeyException {
    append(key, value, false);
  }

  private static void append(StringBuilder key, @Nullable Object value, boolean nested)
      throws UnsupportedKeyException {
    if (value == null) {
      key.append(NULL);
    } else if (value instanceof String s) {
      escape(key, s, nested);
    } else if (value instanceof CharSequence text) {
      escape(key, text.toString(), nested); // a char sequence is its text, whatever its class
    } else if (value instanceof Long l) {
      key.append(l.longValue());
    } else if (value instanceof Integer n) {
      key.append(n.intValue());
    } else if (value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger
        || value instanceof Boolean) {
      key.append(value); // no character here ever needs escaping
    } else if (value instanceof Enum<?> e) {
      escape(key, e.name(), nested);
    } else if (value instanceof UUID
        || value instanceof Double
        || value instanceof Float
        || value instanceof BigDecimal
        || value instanceof Character
        || value instanceof TemporalAccessor
        || value instanceof TemporalAmount
        || value instanceof ZoneId) {
      escape(key, value.toString(), nested);
    } else if (value instanceof Record r) {
      appendRecord(key, r);
    } else if (value.getClass().isArray()) {
      key.append('[');
      int length = Array.getLength(value);
      for (int i = 0; i < length; i++) {
        if (i > 0) {
          key.append(',');
        }
        append(key, Array.get(value, i), true);
      }
      key.append(']');
    } else if (value instanceof Map<?, ?> map) {
      List<String> entries = new ArrayList<>(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        StringBuilder text = new StringBuilder();
        append(text, entry.getKey(), true);
        text.append('=');
        append(text, entry.getValue(), true);
        entries.add(text.toString());
      }
      entries.sort(null);
      key.append('{').append(String.join(",", entries)).append('}');
    } else if (value instanceof Set<?> set) {
      List<String> texts = new ArrayList<>(set.size());
      for (Object element : set) {
        StringBuilder text = new StringBuilder();
        append(text, element, true);
        texts.add(text.toString());
      }
      texts.sort(null);
      key.append('[').append(String.join(",", texts)).append(']');
    } else if (value instanceof Collection<?> collection) {
      key.append('[');
      boolean first = true;
      for (Object element : collection) {
        if (!first) {
          key.append(',');
        }
        first = false;
        append(key, element, true);
      }
      key.append(']');
    } else {
      throw new UnsupportedKeyException(value.getClass());
    }
  }

  private static void appendRecord(StringBuilder key, Record record)
      throws UnsupportedKeyException {
    key.append('(');
    RecordComponent[] components = record.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      if (i > 0) {
        key.append(',');
      }
      Object component;
      try {
        var accessor = components[i].getAccessor();
        accessor.setAccessible(true);
        component = accessor.invoke(record);
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new UnsupportedKeyException(record.getClass());
      }
      append(key, component, true);
    }
    key.append(')');
  }

  private static void escape(StringBuilder key, String text, boolean nested) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' || c == ':' || (nested && isStructural(c))) {
        key.append('\\');
      }
      key.append(c);
    }
  }

  private static boolean isStructural(char c) {
    return c == ',' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}'
        || c == '=';
  }

  /**
   * Returns the key in {@code key}, whose parts start at {@code partsStart}, hashing the parts when
   * they are longer than {@value #MAX_PARTS_LENGTH} characters.
   */
  public static String limit(StringBuilder key, int partsStart) {
    if (key.length() - partsStart <= MAX_PARTS_LENGTH) {
      return key.toString();
    }
    return key.substring(0, partsStart) + limit(key.substring(partsStart));
  }

  /** Shortens a parts text longer than {@value #MAX_PARTS_LENGTH} by hashing it. */
  public static String limit(String parts) {
    if (parts.length() <= MAX_PARTS_LENGTH) {
      return parts;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(parts.getBytes(StandardCharsets.UTF_8));
      int head = HASHED_HEAD;
      if (Character.isHighSurrogate(parts.charAt(head - 1))) {
        head--; // never split a surrogate pair
      }
      return parts.substring(0, head) + "~" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A key argument of a type with no stable text. */
  public static final class UnsupportedKeyException extends Exception {
    private static final long serialVersionUID = 1L;
    public final Class<?> type;

    public UnsupportedKeyException(Class<?> type) {
      super(type.getName(), null, false, false);
      this.type = type;
    }
  }
}
