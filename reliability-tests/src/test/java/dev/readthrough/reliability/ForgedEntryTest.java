package dev.readthrough.reliability;

import static dev.readthrough.reliability.Engines.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.readthrough.ReadThrough;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.internal.EntryCodec;
import dev.readthrough.testing.RedisProcess;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Someone who can write to Redis plants entries crafted to make the decoder build a class of their
 * choosing or allocate without bound. The attacker class is never loaded, initialised or
 * constructed, nothing runs out of memory (surefire runs this with {@code -Xmx512m}), and the
 * caller gets the method's own result.
 */
class ForgedEntryTest {

  private static final String ATTACKER = "dev.readthrough.reliability.EvilValue";
  private static final String BAIT = "dev.readthrough.reliability.BaitValue";
  private static final String VICTIM = SafeValue.class.getName();

  static final class Vault {
    @ReadThrough(cache = "vault", key = "id", ttlSeconds = 300)
    SafeValue safe(long id) {
      return new SafeValue("safe-" + id);
    }

    @ReadThrough(cache = "vault-text", key = "id", ttlSeconds = 300)
    String text(long id) {
      return "text-" + id + "-\u00e9";
    }

    @ReadThrough(cache = "vault-numbers", key = "id", ttlSeconds = 300)
    long[] numbers(long id) {
      return new long[] {id, id + 1};
    }

    @ReadThrough(cache = "vault-names", key = "id", ttlSeconds = 300)
    List<String> names(long id) {
      return new ArrayList<>(List.of("a" + id, "b" + id));
    }
  }

  /** The settings the codecs that build genuine entries are made with: the defaults. */
  private static final ReadThroughConfig CONFIG = ReadThroughConfig.builder().build();

  /** Only its return type is used: the codec of a raw {@code List}, which takes any elements. */
  @SuppressWarnings("rawtypes")
  static List anyList() {
    throw new UnsupportedOperationException();
  }

  private static RedisProcess redis;
  private static RawRedis raw;

  private final Vault vault = new Vault();
  private ReadThroughEngine engine;

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.start();
    raw = RawRedis.connect(redis);
  }

  @AfterAll
  static void stopRedis() {
    raw.close();
    redis.stop();
  }

  @BeforeEach
  void startEngine() {
    redis.command("FLUSHALL");
    engine = Engines.startConnected(Engines.steady(redis.uri()).build());
  }

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  // ---- building nothing -------------------------------------------------------------------

  static Stream<Arguments> classForgeries() {
    return Stream.of(
        forgery(
            "the framework's entry with its type tag swapped for the attacker's class name",
            ForgedEntryTest::tagSwapped),
        forgery("plain Kryo bytes naming the attacker class", ForgedEntryTest::attackerKryoBytes),
        forgery(
            "the framework's header over plain Kryo bytes naming the attacker class",
            () -> concat(header(genuineSafeEntry()), attackerKryoBytes())),
        forgery(
            "the framework's header over a class id that is not registered",
            () -> concat(header(genuineSafeEntry()), varInt(4000), new byte[] {1, 2, 3})));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classForgeries")
  void forgedEntryNamingAnotherClass_buildsNothing_callerGetsMethodResult(ForgedBytes forged)
      throws Exception {
    assertThat(BaitValue.class.getName()).isEqualTo(BAIT);
    assertThat(isLoaded(BAIT)).as("control: the loader check sees loaded classes").isTrue();
    assertThat(isLoaded(ATTACKER)).isFalse();
    String key = engine.keyFor(method("safe"), 7L);
    raw.set(key, forged.bytes());

    assertThat(vault.safe(7)).isEqualTo(new SafeValue("safe-7"));

    assertThat(engine.stats("vault").decodeFailures()).as("%s", engine.stats("vault")).isEqualTo(1);
    assertThat(isLoaded(ATTACKER)).as("attacker class loaded").isFalse();
    assertThat(AttackFlags.initialised).as("attacker class initialised").isFalse();
    assertThat(AttackFlags.constructed).as("attacker class constructed").isFalse();
    byte[] genuine = genuineSafeEntry();
    await().atMost(PATIENCE).until(() -> Stamps.sameEntry(raw.get(key), genuine));
  }

  @Test
  void attackerBytes_areRealKryo_thatAPermissiveDecoderWouldFollow() {
    byte[] forged = attackerKryoBytes();
    Kryo permissive = new Kryo();
    permissive.setRegistrationRequired(false);
    byte[] bait = swap(forged, ATTACKER, BAIT);
    // the same bytes naming the harmless twin decode into an instance of it
    assertThat(permissive.readClassAndObject(new Input(bait))).isInstanceOf(BaitValue.class);
    assertThat(new String(forged, StandardCharsets.ISO_8859_1))
        .contains(ATTACKER.substring(0, ATTACKER.length() - 1));
  }

  // ---- allocating nothing -----------------------------------------------------------------

  static Stream<Arguments> lengthForgeries() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "a string declaring a billion characters",
                (ToIntFunction<ForgedEntryTest>)
                    t -> {
                      byte[] genuine = genuine("text");
                      byte[] forged =
                          concat(
                              header(genuine),
                              new byte[] {payload(genuine)[0]},
                              utf8Length(0x3FFFFFFF),
                              "abc".getBytes(StandardCharsets.US_ASCII));
                      return t.plant(
                          "text",
                          forged,
                          () -> assertThat(t.vault.text(7)).isEqualTo("text-7-\u00e9"));
                    })),
        Arguments.of(
            Named.of(
                "a long[] declaring two billion elements",
                (ToIntFunction<ForgedEntryTest>)
                    t -> {
                      byte[] genuine = genuine("numbers");
                      byte[] forged =
                          concat(
                              header(genuine),
                              new byte[] {payload(genuine)[0]},
                              varInt(Integer.MAX_VALUE - 1),
                              new byte[] {2, 4, 6});
                      return t.plant(
                          "numbers",
                          forged,
                          () -> assertThat(t.vault.numbers(7)).containsExactly(7, 8));
                    })),
        Arguments.of(
            Named.of(
                "a list declaring two billion elements",
                (ToIntFunction<ForgedEntryTest>)
                    t -> {
                      byte[] genuine = genuine("names");
                      byte[] forged =
                          concat(
                              header(genuine),
                              new byte[] {payload(genuine)[0]},
                              varIntFlag(false, Integer.MAX_VALUE - 1),
                              new byte[] {0, 0, 0});
                      return t.plant(
                          "names",
                          forged,
                          () -> assertThat(t.vault.names(7)).containsExactly("a7", "b7"));
                    })),
        Arguments.of(
            Named.of(
                "100 nested lists, each declaring as many elements as there are bytes left",
                (ToIntFunction<ForgedEntryTest>)
                    t -> {
                      byte[] genuine = genuine("names");
                      return t.plant(
                          "names",
                          nestedLists(header(genuine), payload(genuine)[0], 100, 2 << 20),
                          () -> assertThat(t.vault.names(7)).containsExactly("a7", "b7"));
                    })));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lengthForgeries")
  void forgedHugeLength_allocatesNothing_callerGetsMethodResult(
      ToIntFunction<ForgedEntryTest> scenario) {
    assertThat(scenario.applyAsInt(this)).as("decode failures").isEqualTo(1);
  }

  @Test
  void forgedListOfAnotherElementType_isAMiss_neverAClassCastException() throws Exception {
    byte[] genuine = genuine("names");
    EntryCodec anyList =
        EntryCodec.forMethod(ForgedEntryTest.class.getDeclaredMethod("anyList"), CONFIG);
    byte[] listOfIntegers = payload(anyList.encode(new ArrayList<>(List.of(1, 2))));
    String key = engine.keyFor(method("names"), 7L);
    raw.set(key, concat(header(genuine), listOfIntegers));

    List<String> names = vault.names(7);
    String first = names.get(0); // an Integer here would be a ClassCastException in the caller
    assertThat(first).isEqualTo("a7");
    assertThat(names).containsExactly("a7", "b7");
    assertThat(engine.stats("vault-names").decodeFailures()).isEqualTo(1);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** A named way of forging the bytes of an entry, for parameterized tests. */
  @FunctionalInterface
  interface ForgedBytes {
    byte[] bytes() throws Exception;
  }

  private static Arguments forgery(String name, ForgedBytes bytes) {
    return Arguments.of(Named.of(name, bytes));
  }

  private int plant(String methodName, byte[] forged, Runnable callAndCheck) {
    try {
      raw.set(engine.keyFor(method(methodName), 7L), forged);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
    callAndCheck.run();
    return (int) engine.stats("vault-" + methodName).decodeFailures();
  }

  private static Method method(String name) throws NoSuchMethodException {
    return Vault.class.getDeclaredMethod(name, long.class);
  }

  /** The bytes the framework itself stores for {@code name(7)}. */
  private static byte[] genuine(String name) {
    try {
      Method method = method(name);
      return EntryCodec.forMethod(method, CONFIG).encode(expected(name));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * What {@code name(7)} returns, built here: calling the woven method would go through the engine
   * and store an entry in the background, racing the forged one.
   */
  private static Object expected(String name) {
    return switch (name) {
      case "safe" -> new SafeValue("safe-7");
      case "text" -> "text-7-\u00e9";
      case "numbers" -> new long[] {7, 8};
      case "names" -> new ArrayList<>(List.of("a7", "b7"));
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static byte[] genuineSafeEntry() {
    return genuine("safe");
  }

  /** The genuine entry with the victim class name in its type tag replaced by the attacker's. */
  private static byte[] tagSwapped() {
    byte[] genuine = genuineSafeEntry();
    byte[] tag = Arrays.copyOfRange(genuine, 3, 3 + (genuine[2] & 0xFF));
    assertThat(new String(tag, StandardCharsets.UTF_8)).isEqualTo(VICTIM);
    return swap(genuine, VICTIM, ATTACKER);
  }

  /**
   * What a Kryo without registration writes for an instance of the attacker class: written for its
   * harmless twin of the same name length, then renamed in the bytes, so that the attacker class is
   * never touched by the test either.
   */
  private static byte[] attackerKryoBytes() {
    Kryo plain = new Kryo();
    plain.setRegistrationRequired(false);
    BaitValue bait = new BaitValue();
    bait.payload = "pwned";
    Output output = new Output(256, -1);
    plain.writeClassAndObject(output, bait);
    return swap(output.toBytes(), BAIT, ATTACKER);
  }

  /**
   * Replaces the one occurrence of {@code from}'s bytes (less its last character) by {@code to}'s.
   */
  private static byte[] swap(byte[] bytes, String from, String to) {
    assertThat(from).hasSameSizeAs(to);
    assertThat(from.charAt(from.length() - 1)).isEqualTo(to.charAt(to.length() - 1));
    byte[] needle = from.substring(0, from.length() - 1).getBytes(StandardCharsets.US_ASCII);
    byte[] replacement = to.substring(0, to.length() - 1).getBytes(StandardCharsets.US_ASCII);
    int found = -1;
    for (int i = 0; i + needle.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
        assertThat(found).as("one occurrence of " + from).isEqualTo(-1);
        found = i;
      }
    }
    assertThat(found).as("occurrence of " + from).isNotNegative();
    byte[] swapped = bytes.clone();
    System.arraycopy(replacement, 0, swapped, found, replacement.length);
    return swapped;
  }

  static byte[] header(byte[] entry) {
    return Arrays.copyOf(entry, NeverWrongTest.headerLength(entry));
  }

  static byte[] payload(byte[] entry) {
    return Arrays.copyOfRange(entry, NeverWrongTest.headerLength(entry), entry.length);
  }

  private static byte[] varInt(int value) {
    Output output = new Output(8);
    output.writeVarInt(value, true);
    return output.toBytes();
  }

  private static byte[] varIntFlag(boolean flag, int value) {
    Output output = new Output(8);
    output.writeVarIntFlag(flag, value, true);
    return output.toBytes();
  }

  /** Kryo's UTF-8 string length header for {@code chars} characters (it writes chars + 1). */
  private static byte[] utf8Length(int chars) {
    int value = chars + 1;
    return new byte[] {
      (byte) (value | 0x40 | 0x80),
      (byte) ((value >>> 6) | 0x80),
      (byte) ((value >>> 13) | 0x80),
      (byte) ((value >>> 20) | 0x80),
      (byte) (value >>> 27)
    };
  }

  /**
   * {@code depth} lists nested in one another, each declaring exactly as many elements as there are
   * bytes left after its count (so each count alone looks plausible), padded with null elements to
   * {@code size} bytes.
   */
  private static byte[] nestedLists(byte[] header, byte listClass, int depth, int size) {
    byte[] payload = new byte[size];
    int position = 0;
    for (int level = 0; level < depth; level++) {
      payload[position++] = listClass;
      int left = size - position - 5;
      byte[] count = new byte[5];
      // Kryo's varint-with-flag, padded to 5 bytes so that "bytes left" is known in advance
      int value = left + 1;
      count[0] = (byte) ((value & 0x3F) | 0x40);
      count[1] = (byte) (((value >>> 6) & 0x7F) | 0x80);
      count[2] = (byte) (((value >>> 13) & 0x7F) | 0x80);
      count[3] = (byte) (((value >>> 20) & 0x7F) | 0x80);
      count[4] = (byte) (value >>> 27);
      System.arraycopy(count, 0, payload, position, 5);
      position += 5;
    }
    return concat(header, payload); // the rest are zeros: null elements
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Whether the application class loader has loaded a class of this name. */
  private static boolean isLoaded(String name) {
    try {
      Method findLoadedClass = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
      findLoadedClass.setAccessible(true); // needs --add-opens java.base/java.lang=ALL-UNNAMED
      for (ClassLoader loader :
          List.of(
              ClassLoader.getSystemClassLoader(),
              ForgedEntryTest.class.getClassLoader(),
              Thread.currentThread().getContextClassLoader())) {
        if (findLoadedClass.invoke(loader, name) != null) {
          return true;
        }
      }
      return false;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
