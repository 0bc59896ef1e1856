package dev.readthrough.runtime.internal.near;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Owns the near tier's mutation-safety rule: which declared value types no caller can change, so
 * that one decoded value may be handed to every local hit. Those are strings, boxed primitives,
 * enums, the immutable JDK value classes ({@code java.time}, {@code BigDecimal}, {@code UUID}, ...)
 * and records whose components are all of such types. Any other type — a collection (a {@code
 * List.of} cannot be told from an {@code ArrayList} by its declared type), an array, a class with
 * setters, {@code Object} — is decoded afresh from the kept bytes for each hit.
 */
public final class Sharing {

  private static final Set<Class<?>> VALUES =
      Set.of(
          String.class,
          Boolean.class,
          Character.class,
          Byte.class,
          Short.class,
          Integer.class,
          Long.class,
          Float.class,
          Double.class,
          BigDecimal.class,
          BigInteger.class,
          UUID.class,
          Instant.class,
          LocalDate.class,
          LocalDateTime.class,
          LocalTime.class,
          OffsetDateTime.class,
          OffsetTime.class,
          ZonedDateTime.class,
          Duration.class,
          Period.class,
          Year.class,
          YearMonth.class,
          MonthDay.class);

  private Sharing() {}

  /** Whether every value of the declared {@code type} is immutable all the way down. */
  public static boolean isImmutable(Type type) {
    return isImmutable(type, new HashSet<>());
  }

  private static boolean isImmutable(Type type, Set<Class<?>> seen) {
    if (type instanceof ParameterizedType) {
      return false; // generic records and collections: a type argument may be anything
    }
    if (!(type instanceof Class<?> c)) {
      return false;
    }
    if (c.isPrimitive() || VALUES.contains(c) || c.isEnum()) {
      return true;
    }
    if (!c.isRecord()) {
      return false;
    }
    if (!seen.add(c)) {
      return true; // a recursive record: its other components decide
    }
    for (RecordComponent component : c.getRecordComponents()) {
      if (!isImmutable(component.getGenericType(), seen)) {
        return false;
      }
    }
    return true;
  }
}
