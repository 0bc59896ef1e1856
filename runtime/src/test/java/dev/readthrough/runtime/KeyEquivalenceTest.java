package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.ReadThrough;
import dev.readthrough.runtime.Fixtures.Address;
import dev.readthrough.runtime.Fixtures.Tier;
import dev.readthrough.runtime.internal.call.Plan;
import dev.readthrough.runtime.internal.keys.KeyTemplate;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code engine.invalidate(cache, parts...)} forms exactly the key a woven method forms from the
 * same argument, for every declared key type the rules accept.
 */
class KeyEquivalenceTest {

  /** One cached method per accepted key type; the key is the one parameter. */
  @SuppressWarnings("unused")
  static final class Keys {
    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofInt(int v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofLong(long v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofShort(short v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofByte(byte v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofChar(char v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofBoolean(boolean v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofDouble(double v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofFloat(float v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofInteger(Integer v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofBoxedLong(Long v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofBoxedDouble(Double v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofBoxedBoolean(Boolean v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofCharacter(Character v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofString(String v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofCharSequence(CharSequence v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofStringBuilder(StringBuilder v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofBigInteger(BigInteger v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofBigDecimal(BigDecimal v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofEnum(Tier v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofUuid(UUID v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofLocalDate(LocalDate v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofLocalDateTime(LocalDateTime v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofInstant(Instant v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofZonedDateTime(ZonedDateTime v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofDuration(Duration v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofPeriod(Period v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofZoneId(ZoneId v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofRecord(Address v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofIntArray(int[] v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofStringArray(String[] v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofList(List<String> v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofArrayList(ArrayList<CharSequence> v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofSet(Set<Integer> v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofSortedSet(SortedSet<String> v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofMap(Map<String, Integer> v) {
      return "";
    }

    @ReadThrough(ttlSeconds = 60, cache = "eq")
    String ofNested(Map<Tier, List<Address>> v) {
      return "";
    }
  }

  static Stream<Arguments> acceptedTypes() {
    TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
    reversed.addAll(List.of("a", "b:c", "d,e"));
    Map<String, Integer> inOrder = new LinkedHashMap<>();
    inOrder.put("z=", 1);
    inOrder.put("a", 2);
    return Stream.of(
        Arguments.of("ofInt", int.class, -42),
        Arguments.of("ofLong", long.class, Long.MIN_VALUE),
        Arguments.of("ofShort", short.class, (short) 7),
        Arguments.of("ofByte", byte.class, (byte) -1),
        Arguments.of("ofChar", char.class, ':'),
        Arguments.of("ofBoolean", boolean.class, true),
        Arguments.of("ofDouble", double.class, -0.0),
        Arguments.of("ofFloat", float.class, 1.0e10f),
        Arguments.of("ofInteger", Integer.class, 5),
        Arguments.of("ofInteger", Integer.class, null),
        Arguments.of("ofBoxedLong", Long.class, 5L),
        Arguments.of("ofBoxedDouble", Double.class, Double.NaN),
        Arguments.of("ofBoxedBoolean", Boolean.class, false),
        Arguments.of("ofCharacter", Character.class, '\\'),
        Arguments.of("ofString", String.class, "a:b\\c,d(e)[f]{g}=h"),
        Arguments.of("ofString", String.class, ""),
        Arguments.of("ofCharSequence", CharSequence.class, "a,b(c)"),
        Arguments.of("ofCharSequence", CharSequence.class, new StringBuilder("x:y,[z]")),
        Arguments.of("ofStringBuilder", StringBuilder.class, new StringBuilder("p,q")),
        Arguments.of("ofBigInteger", BigInteger.class, BigInteger.TEN.pow(30)),
        Arguments.of("ofBigDecimal", BigDecimal.class, new BigDecimal("1.50")),
        Arguments.of("ofEnum", Tier.class, Tier.PRO),
        Arguments.of("ofUuid", UUID.class, UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),
        Arguments.of("ofLocalDate", LocalDate.class, LocalDate.of(2026, 11, 23)),
        Arguments.of("ofLocalDateTime", LocalDateTime.class, LocalDateTime.of(2026, 1, 2, 3, 4)),
        Arguments.of("ofInstant", Instant.class, Instant.parse("2024-05-01T10:15:00Z")),
        Arguments.of(
            "ofZonedDateTime",
            ZonedDateTime.class,
            ZonedDateTime.of(2024, 5, 1, 10, 15, 0, 0, ZoneId.of("Europe/Berlin"))),
        Arguments.of("ofDuration", Duration.class, Duration.ofMinutes(90)),
        Arguments.of("ofPeriod", Period.class, Period.ofDays(3)),
        Arguments.of("ofZoneId", ZoneId.class, ZoneId.of("America/New_York")),
        Arguments.of("ofRecord", Address.class, new Address("a,b", "c:d")),
        Arguments.of("ofIntArray", int[].class, new int[] {3, 1, 2}),
        Arguments.of("ofStringArray", String[].class, new String[] {"x,y", null, "z"}),
        Arguments.of("ofList", List.class, List.of("x,y", "z")),
        Arguments.of(
            "ofArrayList",
            ArrayList.class,
            new ArrayList<>(List.of("a", new StringBuilder("b,c")))),
        Arguments.of("ofSet", Set.class, new LinkedHashSet<>(List.of(10, 2, 1))),
        Arguments.of("ofSortedSet", SortedSet.class, reversed),
        Arguments.of("ofMap", Map.class, inOrder),
        Arguments.of("ofMap", Map.class, new TreeMap<>(Map.of("b", 2, "a", 1))),
        Arguments.of("ofNested", Map.class, Map.of(Tier.FREE, List.of(new Address("x", "y")))));
  }

  @ParameterizedTest(name = "{0}({2})")
  @MethodSource("acceptedTypes")
  void invalidateParts_formTheWovenMethodsKey(String name, Class<?> type, @Nullable Object value)
      throws NoSuchMethodException {
    Method method = Keys.class.getDeclaredMethod(name, type);
    Plan plan = DetachedPlans.parse(method, null);
    Object[] args = {value};

    String woven = plan.keyFor(args);

    assertThat(KeyTemplate.keyFor("rt:eq:", Arrays.copyOf(args, 1))).isEqualTo(woven);
  }
}
