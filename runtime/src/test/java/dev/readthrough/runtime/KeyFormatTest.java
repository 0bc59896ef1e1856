package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.runtime.Fixtures.Address;
import dev.readthrough.runtime.Fixtures.Tier;
import dev.readthrough.runtime.internal.keys.KeyFormat;
import dev.readthrough.runtime.internal.keys.KeyTemplate;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyFormatTest {

  static String key(Object... parts) {
    return KeyTemplate.keyFor("rt:c:", parts);
  }

  @Test
  void plainValues_keepTheirText() {
    assertThat(key("DE", 2)).isEqualTo("rt:c:DE:2");
    assertThat(key(true, 'x', 2.5, Tier.PRO, -7L)).isEqualTo("rt:c:true:x:2.5:PRO:-7");
    assertThat(key(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")))
        .isEqualTo("rt:c:123e4567-e89b-12d3-a456-426614174000");
    assertThat(key(LocalDate.of(2026, 11, 23))).isEqualTo("rt:c:2026-11-23");
  }

  @Test
  void separatorAndEscapeCharacters_areEscaped() {
    assertThat(key("a:b", "c")).isEqualTo("rt:c:a\\:b:c");
    assertThat(key("a", "b:c")).isEqualTo("rt:c:a:b\\:c");
    assertThat(key("a\\", "b")).isEqualTo("rt:c:a\\\\:b");
    assertThat(key("a\\:b")).isNotEqualTo(key("a:b"));
  }

  @Test
  void null_isDistinctFromEveryString() {
    assertThat(key((Object) null)).isEqualTo("rt:c:\\0");
    assertThat(key("\\0")).isNotEqualTo(key((Object) null));
    assertThat(key("null")).isNotEqualTo(key((Object) null));
    assertThat(key("")).isEqualTo("rt:c:");
  }

  @Test
  void recordsListsSetsAndMaps_haveStableStructuredText() {
    assertThat(key(new Address("Berlin", "10115"))).isEqualTo("rt:c:(Berlin,10115)");
    assertThat(key(List.of(1, 2, 3))).isEqualTo("rt:c:[1,2,3]");
    assertThat(key((Object) new int[] {1, 2})).isEqualTo("rt:c:[1,2]");
    assertThat(key(new LinkedHashSet<>(List.of("b", "a"))))
        .isEqualTo(key(new LinkedHashSet<>(List.of("a", "b"))));
    Map<String, Integer> first = new LinkedHashMap<>();
    first.put("b", 2);
    first.put("a", 1);
    assertThat(key(first)).isEqualTo("rt:c:{a=1,b=2}").isEqualTo(key(Map.of("a", 1, "b", 2)));
  }

  @Test
  void structuralCharacters_areEscapedInsideStructures() {
    assertThat(key(List.of("a,b"))).isNotEqualTo(key(List.of("a", "b")));
    assertThat(key(new Address("a,b", "c"))).isNotEqualTo(key(new Address("a", "b,c")));
    assertThat(key(Set.of("x]"))).isEqualTo("rt:c:[x\\]]");
  }

  @Test
  void veryLongParts_keepAReadableHeadAndHashTheRest() {
    String longText = "x".repeat(1000);
    String hashed = key(longText);
    String otherHashed = key(longText + "y");

    assertThat(hashed).startsWith("rt:c:" + "x".repeat(200) + "~").hasSize(5 + 200 + 1 + 64);
    assertThat(otherHashed).isNotEqualTo(hashed);
    assertThat(key("x".repeat(256))).isEqualTo("rt:c:" + "x".repeat(256));
  }

  @Test
  void hashedKeys_neverEqualAnUnhashedOne() {
    String hashed = key("y".repeat(300));
    String forged = hashed.substring("rt:c:".length());
    assertThat(forged.length()).isGreaterThan(KeyFormat.MAX_PARTS_LENGTH);
    assertThat(key(forged)).isNotEqualTo(hashed);
  }

  @Test
  void sameArguments_giveTheSameKeyEveryTime() {
    Object[] parts = {"DE", 2, List.of(new Address("a", "b")), Map.of("k", Set.of(3, 1, 2))};
    assertThat(key(parts)).isEqualTo(key(Arrays.copyOf(parts, parts.length)));
  }

  @Test
  void charSequences_arePlainText_whateverTheirClass() {
    assertThat(key(new StringBuilder("a,b(c)"))).isEqualTo("rt:c:a,b(c)").isEqualTo(key("a,b(c)"));
    assertThat(key(List.of(new StringBuilder("x,y")))).isEqualTo(key(List.of("x,y")));
  }

  @Test
  void equalSetsAndMaps_giveOneKey_whateverTheirOrderOrClass() {
    TreeSet<Integer> descending = new TreeSet<>(Comparator.reverseOrder());
    descending.addAll(List.of(1, 2, 10));
    assertThat(key(descending)).isEqualTo(key(Set.of(10, 2, 1))).isEqualTo("rt:c:[1,10,2]");
    TreeMap<String, Integer> sorted = new TreeMap<>(Comparator.reverseOrder());
    sorted.putAll(Map.of("a", 1, "b", 2));
    assertThat(key(sorted)).isEqualTo(key(Map.of("b", 2, "a", 1))).isEqualTo("rt:c:{a=1,b=2}");
  }

  record Pair(String a, int b) {}

  @Test
  void theDocumentedExample_givesTheDocumentedKey() {
    Map<String, Integer> map = new LinkedHashMap<>();
    map.put("z", 1);
    map.put("a=", 2);
    assertThat(
            KeyTemplate.keyFor(
                "rt:k:",
                new Object[] {
                  "a:b\\c,d",
                  List.of("x,y", "z"),
                  Set.of("b", "a", "c"),
                  map,
                  new Pair("p(q)", 3),
                  new StringBuilder("o,1"),
                  java.time.Instant.parse("2024-05-01T10:15:00Z"),
                  null
                }))
        .isEqualTo(
            "rt:k:a\\:b\\\\c,d:[x\\,y,z]:[a,b,c]:{a\\==2,z=1}:(p\\(q\\),3):o,1:2024-05-01T10\\:15\\:00Z:\\0");
  }

  @Test
  void typeWithoutStableText_isRejected() {
    assertThatThrownBy(() -> key(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void aRepeatedWholeNumberKey_reusesItsKey_andAnotherValueInItsSlotNeverGetsIt() {
    KeyTemplate byId =
        new KeyTemplate(
            "rt:users:",
            "find(long)",
            List.of(new KeyTemplate.Part("id", 0, new java.lang.invoke.MethodHandle[0])));
    String first = byId.keyFor(new Object[] {42L});
    assertThat(first).isEqualTo("rt:users:42");
    assertThat(byId.keyFor(new Object[] {42L})).isSameAs(first);
    assertThat(byId.keyFor(new Object[] {42})).isEqualTo("rt:users:42");
    // 42 + 256 and 42 + 2^32 share 42's slot: each gets its own key, and 42 its own again
    assertThat(byId.keyFor(new Object[] {298L})).isEqualTo("rt:users:298");
    assertThat(byId.keyFor(new Object[] {42L + (1L << 32)})).isEqualTo("rt:users:4294967338");
    assertThat(byId.keyFor(new Object[] {42L})).isEqualTo("rt:users:42");
    assertThat(byId.keyFor(new Object[] {-1L})).isEqualTo("rt:users:-1");
    assertThat(byId.keyFor(new Object[] {Long.MIN_VALUE})).isEqualTo("rt:users:" + Long.MIN_VALUE);
    assertThat(byId.keyFor(new Object[] {"42"})).isEqualTo("rt:users:42");
    assertThat(byId.keyFor(new Object[] {null}))
        .isEqualTo(key((Object) null).replace("rt:c:", "rt:users:"));
  }
}
