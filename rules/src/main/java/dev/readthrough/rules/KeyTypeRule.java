package dev.readthrough.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rule on a key part's declared type: every value the type can hold must have one text that no
 * other value of the type has, so that distinct arguments never share a key.
 *
 * <p>Accepted: primitives and their boxes, {@code CharSequence} and its subtypes (a char sequence
 * is its text), {@code BigInteger}, {@code BigDecimal}, {@code UUID}, the concrete {@code
 * java.time} value classes, enums, records whose components are all accepted, arrays of an accepted
 * type, and {@code List<E>}, {@code Set<E>} (and their subtypes) and {@code Map<K, V>} with
 * accepted type arguments. Refused: types whose values can be of several kinds with the same text
 * ({@code Object}, {@code Number}, {@code Comparable}, {@code Serializable}, any other interface or
 * abstract class, unbounded type variables and wildcards); {@code Collection}, {@code Iterable} and
 * other collections that are neither lists nor sets (a list and a set of the same elements have the
 * same text); raw collections and maps; {@code Optional}; and concrete classes without a text of
 * their own. Type variables and wildcards are judged by their bound.
 */
final class KeyTypeRule<T> {

  /** Final JDK classes whose {@code toString()} is the value, one text per value. */
  private static final Set<String> VALUE_CLASSES =
      Set.of(
          "java.lang.Boolean",
          "java.lang.Byte",
          "java.lang.Short",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Float",
          "java.lang.Double",
          "java.lang.Character",
          "java.math.BigInteger",
          "java.math.BigDecimal",
          "java.util.UUID",
          "java.time.Instant",
          "java.time.LocalDate",
          "java.time.LocalTime",
          "java.time.LocalDateTime",
          "java.time.OffsetDateTime",
          "java.time.OffsetTime",
          "java.time.ZonedDateTime",
          "java.time.Year",
          "java.time.YearMonth",
          "java.time.MonthDay",
          "java.time.Duration",
          "java.time.Period",
          "java.time.ZoneId",
          "java.time.ZoneOffset");

  /** Why a type is refused, and what to declare instead. */
  enum Reason {
    AMBIGUOUS(
        "can hold values of different kinds with the same text (1, 1L and \"1\" would"
            + " share a key); declare the exact type: a String, number, boolean, char, enum, UUID,"
            + " java.time value or record, or a List, Set, Map or array of those"),
    UNORDERED(
        "holds lists and sets alike, and a list and a set of the same elements would share"
            + " a key; declare List<E> or Set<E>"),
    RAW(
        "is raw, so the type of its elements is unknown; declare its type arguments, such as"
            + " List<String> or Map<String, Long>"),
    OPTIONAL("is an Optional; pass the value or null instead"),
    NO_TEXT(
        "has no stable text; declare a String, number, enum, UUID, java.time value or"
            + " record instead");

    final String text;

    Reason(String text) {
      this.text = text;
    }

    /** The text, pointing at a property of the part first when the part itself has no text. */
    String text(String part) {
      return this == NO_TEXT
          ? "has no stable text; name one of its properties (key = \""
              + part
              + ".id\") or"
              + text.substring(text.indexOf(';') + 1)
          : text;
    }
  }

  /**
   * A refused type: {@code path} holds a {@code ", whose element type is X"} clause for each step
   * from the declared type down to the one at fault.
   */
  record Refusal(String path, Reason reason) {
    Refusal under(String clause) {
      return new Refusal(clause + path, reason);
    }
  }

  private final TypeModel<T> model;
  private final TypeNames<T> names;

  KeyTypeRule(TypeModel<T> model, TypeNames<T> names) {
    this.model = model;
    this.names = names;
  }

  /** Why values of {@code type} cannot form a key part, or {@code null} if they can. */
  @Nullable Refusal refusal(T type) {
    return refusal(type, new HashSet<>());
  }

  private @Nullable Refusal refusal(T type, Set<String> recordsSeen) {
    switch (model.kind(type)) {
      case PRIMITIVE, UNKNOWN -> {
        return null;
      }
      case VOID -> {
        return new Refusal("", Reason.NO_TEXT);
      }
      case ARRAY -> {
        return inner(model.component(type), "component type", recordsSeen);
      }
      case TYPE_VARIABLE, WILDCARD -> {
        T bound = names.bound(type);
        if (bound == null) {
          return new Refusal("", Reason.AMBIGUOUS);
        }
        Refusal refusal = refusal(bound, recordsSeen);
        return refusal == null ? null : refusal.under(", whose bound is " + names.name(bound));
      }
      default -> {
        return declared(type, recordsSeen);
      }
    }
  }

  private @Nullable Refusal declared(T type, Set<String> recordsSeen) {
    String name = model.name(type);
    if (model.asSupertype(type, "java.lang.CharSequence") != null
        || VALUE_CLASSES.contains(name)
        || model.kind(type) == TypeModel.Kind.ENUM) {
      return null;
    }
    if (name.equals("java.util.Optional")) {
      return new Refusal("", Reason.OPTIONAL);
    }
    if (model.kind(type) == TypeModel.Kind.RECORD) {
      if (!recordsSeen.add(names.name(type))) {
        return null; // a record that holds itself: its other components decide
      }
      for (TypeModel.Member<T> component : model.recordComponents(type)) {
        Refusal refusal =
            inner(component.type(), "component '" + component.name() + "'", recordsSeen);
        if (refusal != null) {
          return refusal;
        }
      }
      return null;
    }
    T map = model.asSupertype(type, "java.util.Map");
    if (map != null) {
      List<T> arguments = model.typeArguments(map);
      if (arguments.size() != 2) {
        return new Refusal("", Reason.RAW);
      }
      Refusal keys = inner(arguments.get(0), "key type", recordsSeen);
      return keys != null ? keys : inner(arguments.get(1), "value type", recordsSeen);
    }
    T list = model.asSupertype(type, "java.util.List");
    T set = model.asSupertype(type, "java.util.Set");
    T collection = list != null ? list : set;
    if ((list != null ^ set != null) && collection != null) {
      List<T> arguments = model.typeArguments(collection);
      return arguments.size() != 1
          ? new Refusal("", Reason.RAW)
          : inner(arguments.get(0), "element type", recordsSeen);
    }
    if (model.asSupertype(type, "java.lang.Iterable") != null) {
      return new Refusal("", Reason.UNORDERED);
    }
    if (model.kind(type) == TypeModel.Kind.INTERFACE
        || model.isAbstract(type)
        || name.equals(TypeNames.OBJECT)) {
      return new Refusal("", Reason.AMBIGUOUS);
    }
    return new Refusal("", Reason.NO_TEXT);
  }

  private @Nullable Refusal inner(T type, String what, Set<String> recordsSeen) {
    Refusal refusal = refusal(type, recordsSeen);
    return refusal == null ? null : refusal.under(", whose " + what + " is " + names.name(type));
  }
}
