package dev.readthrough.reliability;

import static dev.readthrough.reliability.Engines.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.runtime.CacheStats;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.internal.EntryCodec;
import dev.readthrough.testing.RedisProcess;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An entry that cannot be decoded, for whatever reason, is a miss: the method runs, the caller gets
 * its result (never a ClassCastException), the entry is replaced, and a counter and a rate-limited
 * log line record it.
 */
class NeverWrongTest {

  static final class Library {
    final AtomicInteger bookRuns = new AtomicInteger();
    final AtomicInteger countRuns = new AtomicInteger();

    @ReadThrough(cache = "books", key = "id", ttlSeconds = 300)
    Book book(long id) {
      bookRuns.incrementAndGet();
      return expectedBook(id);
    }

    /** Shares its cache and key with {@link #book(long)}, as a careless second method might. */
    @ReadThrough(cache = "books", key = "id", ttlSeconds = 300)
    Long pageCount(long id) {
      countRuns.incrementAndGet();
      return 100 + id;
    }

    @ReadThrough(cache = "shaped", key = "id", ttlSeconds = 300)
    ShapeBook shaped(long id) {
      return new ShapeBook(id, "title-" + id, 300);
    }
  }

  static Book expectedBook(long id) {
    return new Book(id, "title-" + id, List.of("tag-" + id, "shelf"));
  }

  private static RedisProcess redis;
  private static RawRedis raw;

  private final Library library = new Library();
  private ReadThroughEngine engine;
  private LogCapture log;

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
    log = LogCapture.engine();
    engine = Engines.startConnected(Engines.steady(redis.uri()).build());
  }

  @AfterEach
  void closeEngine() {
    engine.close();
    log.close();
  }

  private String bookKey(long id) throws NoSuchMethodException {
    return engine.keyFor(Library.class.getDeclaredMethod("book", long.class), id);
  }

  /** Lets {@code book(id)} store its genuine entry and returns those bytes. */
  private byte[] genuineBookEntry(long id) throws Exception {
    String key = bookKey(id);
    assertThat(library.book(id)).isEqualTo(expectedBook(id));
    await().atMost(PATIENCE).until(() -> raw.exists(key));
    return raw.get(key);
  }

  private List<String> decodeWarnings() {
    return log.warnings().stream().filter(w -> w.startsWith("Unreadable cache entry")).toList();
  }

  static Stream<Arguments> corruptions() {
    return Stream.of(
        corruption(
            "random bytes",
            genuine -> {
              byte[] noise = new byte[200];
              new Random(42).nextBytes(noise);
              noise[0] = genuine[0]; // the format version
              return noise;
            }),
        corruption("an empty value", genuine -> new byte[0]),
        corruption("text someone SET by hand", genuine -> "hello".getBytes(StandardCharsets.UTF_8)),
        corruption(
            "another format version",
            genuine -> {
              byte[] copy = genuine.clone();
              copy[0] = 99;
              return copy;
            }),
        corruption("a value truncated inside the header", genuine -> Arrays.copyOf(genuine, 6)),
        corruption(
            "a value truncated inside the payload",
            genuine -> Arrays.copyOf(genuine, genuine.length - 3)),
        corruption(
            "a value with trailing bytes",
            genuine -> {
              byte[] longer = Arrays.copyOf(genuine, genuine.length + 3);
              longer[genuine.length] = 1;
              return longer;
            }),
        corruption(
            "a payload whose class id is not registered",
            genuine -> {
              byte[] copy = genuine.clone();
              copy[headerLength(genuine)] = 0x7E;
              return copy;
            }),
        corruption(
            "a payload with every bit flipped",
            genuine -> {
              byte[] copy = genuine.clone();
              for (int i = headerLength(genuine); i < copy.length; i++) {
                copy[i] = (byte) ~copy[i];
              }
              return copy;
            }));
  }

  private static Arguments corruption(String name, UnaryOperator<byte[]> corrupt) {
    return Arguments.of(Named.of(name, corrupt));
  }

  /**
   * Where the payload starts: after {@code [format][kind][tag length][tag][8-byte
   * fingerprint][16-byte stamp]}, as the runtime's ValueCodec documents it.
   */
  static int headerLength(byte[] entry) {
    return 3 + (entry[2] & 0xFF) + 8 + 16;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptions")
  void corruptEntry_isAMiss_methodRuns_entryReplaced_countedAndLogged(UnaryOperator<byte[]> corrupt)
      throws Exception {
    byte[] genuine = genuineBookEntry(7);
    raw.set(bookKey(7), corrupt.apply(genuine));
    int runsBefore = library.bookRuns.get();
    CacheStats before = engine.stats("books");

    assertThat(library.book(7)).isEqualTo(expectedBook(7));

    assertThat(library.bookRuns.get()).isEqualTo(runsBefore + 1);
    CacheStats after = engine.stats("books");
    assertThat(after.decodeFailures()).isEqualTo(before.decodeFailures() + 1);
    assertThat(after.errors()).isEqualTo(before.errors() + 1);
    assertThat(after.misses()).isEqualTo(before.misses() + 1);
    assertThat(decodeWarnings())
        .singleElement()
        .asString()
        .contains(bookKey(7))
        .contains("Library.book(long)")
        .contains("treated as a miss");
    await().atMost(PATIENCE).until(() -> Stamps.sameEntry(raw.get(bookKey(7)), genuine));
    assertThat(library.book(7)).isEqualTo(expectedBook(7));
    assertThat(library.bookRuns.get()).as("the replaced entry is a hit").isEqualTo(runsBefore + 1);
  }

  @Test
  void repeatedDecodeFailures_areAllCounted_butLoggedOncePerInterval() throws Exception {
    byte[] genuine = genuineBookEntry(7);
    for (int i = 0; i < 5; i++) {
      raw.set(bookKey(7), Arrays.copyOf(genuine, genuine.length - 1));
      assertThat(library.book(7)).isEqualTo(expectedBook(7));
      await().atMost(PATIENCE).until(() -> Stamps.sameEntry(raw.get(bookKey(7)), genuine));
    }
    assertThat(engine.stats("books").decodeFailures()).isEqualTo(5);
    assertThat(decodeWarnings()).hasSize(1);
  }

  @Test
  void entryOfAnotherMethodsType_underTheSameKey_isAMissForEach_neverAClassCastException()
      throws Exception {
    assertThat(library.pageCount(7)).isEqualTo(107L);
    await().atMost(PATIENCE).until(() -> raw.exists(bookKey(7)));

    Book book = library.book(7); // a Long where a Book is expected would throw here
    assertThat(book).isEqualTo(expectedBook(7));
    assertThat(library.bookRuns.get()).isEqualTo(1);
    assertThat(engine.stats("books").decodeFailures()).isEqualTo(1);
    assertThat(decodeWarnings()).singleElement().asString().contains("treated as a miss");

    byte[] bookEntry =
        EntryCodec.forMethod(Library.class.getDeclaredMethod("book", long.class), engine.config())
            .encode(expectedBook(7));
    await().atMost(PATIENCE).until(() -> Stamps.sameEntry(raw.get(bookKey(7)), bookEntry));
    Long count = library.pageCount(7); // and a Book where a Long is expected
    assertThat(count).isEqualTo(107L);
    assertThat(library.countRuns.get()).isEqualTo(2);
    assertThat(engine.stats("books").decodeFailures()).isEqualTo(2);
  }

  @Test
  void entryWrittenBeforeTheClassChangedShape_isAMiss_andReplaced(@TempDir Path dir)
      throws Exception {
    Method oldShaped = compileOldRelease(dir).getMethod("shaped");
    Class<?> oldShape = oldShaped.getReturnType();
    assertThat(oldShape.getName()).isEqualTo(ShapeBook.class.getName());
    assertThat(oldShape).isNotSameAs(ShapeBook.class);
    EntryCodec oldCodec = EntryCodec.forMethod(oldShaped, engine.config());
    byte[] oldEntry =
        oldCodec.encode(
            oldShape.getConstructor(long.class, String.class).newInstance(7L, "old title"));
    EntryCodec newCodec =
        EntryCodec.forMethod(
            Library.class.getDeclaredMethod("shaped", long.class), engine.config());
    byte[] newEntry = newCodec.encode(new ShapeBook(7, "title-7", 300));
    int tagEnd = 3 + (newEntry[2] & 0xFF);
    assertThat(Arrays.copyOf(oldEntry, tagEnd))
        .as("same type tag")
        .isEqualTo(Arrays.copyOf(newEntry, tagEnd));
    assertThat(Arrays.copyOfRange(oldEntry, tagEnd, tagEnd + 8))
        .as("another fingerprint")
        .isNotEqualTo(Arrays.copyOfRange(newEntry, tagEnd, tagEnd + 8));

    String key = engine.keyFor(Library.class.getDeclaredMethod("shaped", long.class), 7L);
    raw.set(key, oldEntry);
    assertThat(library.shaped(7)).isEqualTo(new ShapeBook(7, "title-7", 300));
    assertThat(engine.stats("shaped").decodeFailures()).isEqualTo(1);
    assertThat(decodeWarnings()).singleElement().asString().contains("class shape");
    await().atMost(PATIENCE).until(() -> Stamps.sameEntry(raw.get(key), newEntry));
  }

  /**
   * Compiles the release-1 {@code ShapeBook}, without {@code pages}, into a loader of its own, with
   * a class {@code OldRelease} whose {@code shaped()} returns it.
   */
  private static Class<?> compileOldRelease(Path dir) throws Exception {
    Path sources = Files.createDirectories(dir.resolve("src/dev/readthrough/reliability"));
    Path record =
        Files.writeString(
            sources.resolve("ShapeBook.java"),
            "package dev.readthrough.reliability;\n"
                + "public record ShapeBook(long id, String title) {}\n");
    Path release =
        Files.writeString(
            sources.resolve("OldRelease.java"),
            "package dev.readthrough.reliability;\n"
                + "public final class OldRelease {\n"
                + "  public static ShapeBook shaped() { return null; }\n"
                + "}\n");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status =
        javac.run(
            null,
            null,
            null,
            "--release",
            "17",
            "-d",
            classes.toString(),
            record.toString(),
            release.toString());
    assertThat(status).as("javac exit status").isZero();
    URLClassLoader loader =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    return loader.loadClass("dev.readthrough.reliability.OldRelease");
  }
}
