package dev.readthrough.runtime.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JDK types every cache may hold, registered with fixed ids in a fixed order so that every JVM
 * and every release of the same format reads the same bytes the same way. Changing this list
 * requires a new {@link #VERSION}, which turns old entries into misses.
 */
public final class BaseTypes {

  /** Part of every entry's fingerprint; bump when the list below changes. */
  public static final int VERSION = 2;

  private static final List<Class<?>> CLASSES =
      List.of(
          byte[].class,
          char[].class,
          short[].class,
          int[].class,
          long[].class,
          float[].class,
          double[].class,
          boolean[].class,
          String[].class,
          Object[].class,
          Integer[].class,
          Long[].class,
          BigInteger.class,
          BigDecimal.class,
          Date.class,
          UUID.class,
          URI.class,
          Locale.class,
          Currency.class,
          Arrays.asList().getClass(),
          ArrayList.class,
          LinkedList.class,
          ArrayDeque.class,
          HashMap.class,
          LinkedHashMap.class,
          TreeMap.class,
          ConcurrentHashMap.class,
          HashSet.class,
          LinkedHashSet.class,
          TreeSet.class,
          Collections.emptyList().getClass(),
          Collections.emptySet().getClass(),
          Collections.emptyMap().getClass(),
          Collections.singletonList(1).getClass(),
          Collections.singleton(1).getClass(),
          Collections.singletonMap(1, 1).getClass(),
          Optional.class,
          OptionalInt.class,
          OptionalLong.class,
          OptionalDouble.class,
          Instant.class,
          Duration.class,
          LocalDate.class,
          LocalTime.class,
          LocalDateTime.class,
          ZonedDateTime.class,
          OffsetDateTime.class,
          OffsetTime.class,
          ZoneOffset.class,
          ZoneId.of("Europe/Berlin").getClass(),
          Year.class,
          YearMonth.class,
          MonthDay.class,
          Period.class,
          DayOfWeek.class,
          Month.class);

  private BaseTypes() {}

  public static boolean isBase(Class<?> c) {
    return CLASSES.contains(c)
        || c == String.class
        || c.isPrimitive()
        || c == Integer.class
        || c == Long.class
        || c == Short.class
        || c == Byte.class
        || c == Character.class
        || c == Boolean.class
        || c == Float.class
        || c == Double.class
        || List.class == c
        || Set.class == c
        || Map.class == c;
  }

  /** Registers the base set; Kryo itself pre-registers the primitives and {@code String}. */
  public static void register(Kryo kryo) {
    for (Class<?> c : CLASSES) {
      if (c == UUID.class) {
        kryo.register(c, new DefaultSerializers.UUIDSerializer());
      } else if (c == URI.class) {
        kryo.register(c, new DefaultSerializers.URISerializer());
      } else if (c == TreeMap.class) {
        kryo.register(c, new DefaultSerializers.TreeMapSerializer());
      } else if (c == TreeSet.class) {
        kryo.register(c, new DefaultSerializers.TreeSetSerializer());
      } else if (c == Arrays.asList().getClass()) {
        kryo.register(c, new DefaultSerializers.ArraysAsListSerializer());
      } else {
        kryo.register(c);
      }
    }
    BoundedCollections.registerImmutables(kryo);
  }

  public static String describe() {
    StringBuilder description = new StringBuilder("base/").append(VERSION);
    for (Class<?> c : CLASSES) {
      description.append(' ').append(c.getName());
    }
    return description.toString();
  }
}
