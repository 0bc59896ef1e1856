package dev.readthrough.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReadThroughProcessorTest {

  private static final String HEADER =
      """
      package app;

      import dev.readthrough.Invalidate;
      import dev.readthrough.ReadThrough;
      import dev.readthrough.WriteThrough;
      import java.util.*;

      """;

  /** Compiles {@code class Users} holding {@code body}, followed by {@code types}. */
  private static Compilation users(String body, String types) {
    return Compilation.of("Users", HEADER + "class Users {\n" + body + "}\n" + types);
  }

  private static Compilation users(String body) {
    return users(body, "");
  }

  /**
   * Asserts one error, on the line of {@code annotationLine} (where the compiler puts a problem
   * reported on a method and its annotation), whose message holds every fragment.
   */
  private static void assertOneErrorAt(
      Compilation compilation, String annotationLine, String... fragments) {
    assertThat(compilation.errors()).as(compilation.toString()).hasSize(1);
    Diagnostic<? extends JavaFileObject> error = compilation.errors().get(0);
    assertThat(error.getLineNumber())
        .as(compilation.toString())
        .isEqualTo(compilation.lineOf(annotationLine));
    assertThat(error.getMessage(Locale.ROOT)).contains(fragments);
  }

  // ---- key names a parameter, and dotted paths resolve ----

  @Test
  void keyNamingNoParameter_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          String ok(long id) { return ""; }

          @ReadThrough(key = "userId", ttlSeconds = 60)
          String find(long id, String region) { return ""; }
        """);

    assertOneErrorAt(
        compilation,
        "key = \"userId\"",
        "Users.find(long,String)",
        "key = \"userId\"",
        "names no parameter",
        "parameters are [id, region]");
  }

  @Test
  void keyNamingNoParameter_onInvalidate_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @Invalidate(cache = "users", key = "ident")
          void evict(long id) {}
        """);

    assertOneErrorAt(
        compilation,
        "@Invalidate",
        "@Invalidate(key = \"ident\") on Users.evict(long)",
        "parameters are [id]");
  }

  @Test
  void dottedKeyWithUnknownProperty_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "user.ident", ttlSeconds = 60)
          String find(User user) { return ""; }
        """,
            """
        class User {
          long id;
          long getId() { return id; }
        }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "Users.find(User)",
        "key = \"user.ident\"",
        "User has no getter, record accessor or field named 'ident'");
  }

  @Test
  void dottedKeyIntoAPrimitive_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id.value", ttlSeconds = 60)
          String find(long id) { return ""; }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "Users.find(long)",
        "key = \"id.value\"",
        "long has no getter, record accessor or field named 'value'");
  }

  @Test
  void isGetterNotReturningBoolean_isNotAProperty() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "user.active", ttlSeconds = 60)
          String find(User user) { return ""; }
        """,
            """
        class User {
          String isActive() { return "yes"; }
        }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "key = \"user.active\"",
        "no getter, record accessor or field named 'active'");
  }

  @Test
  void staticFieldOrMethod_isNotAProperty() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = {"user.region", "user.code"}, ttlSeconds = 60)
          String find(User user) { return ""; }
        """,
            """
        class User {
          static String region;
          static String getCode() { return ""; }
        }
        """);

    assertThat(compilation.errorMessages())
        .as(compilation.toString())
        .satisfiesExactly(
            m -> assertThat(m).contains("key = \"user.region\"", "named 'region'"),
            m -> assertThat(m).contains("key = \"user.code\"", "named 'code'"));
  }

  @Test
  void emptyKeyEntry_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = {"id", ""}, ttlSeconds = 60)
          String find(long id) { return ""; }
        """);

    assertOneErrorAt(compilation, "@ReadThrough", "Users.find(long)", "key has an empty entry");
  }

  // ---- ttlSeconds and return type ----

  @Test
  void ttlSecondsZero_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 0)
          String find(long id) { return ""; }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "@ReadThrough(ttlSeconds = 0) on Users.find(long)",
        "ttlSeconds must be positive");
  }

  @Test
  void ttlSecondsNegative_onWriteThrough_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @WriteThrough(cache = "users", key = "id", ttlSeconds = -5)
          String save(long id) { return ""; }
        """);

    assertOneErrorAt(
        compilation,
        "@WriteThrough",
        "@WriteThrough(ttlSeconds = -5) on Users.save(long)",
        "ttlSeconds must be positive");
  }

  /** Bad {@code localTtlSeconds}, {@code refreshAfterSeconds} and {@code staleIfErrorSeconds}. */
  static Stream<Arguments> badFreshness() {
    return Stream.of(
        Arguments.of(
            "localTtlSeconds = -1",
            "@ReadThrough(localTtlSeconds = -1) on Users.find(long)",
            "localTtlSeconds must not be negative; 0, the default, keeps no local copy"),
        Arguments.of(
            "localTtlSeconds = 600",
            "@ReadThrough(localTtlSeconds = 600, ttlSeconds = 300) on Users.find(long)",
            "localTtlSeconds must be at most ttlSeconds"),
        Arguments.of(
            "localTtlSeconds = 301",
            "@ReadThrough(localTtlSeconds = 301, ttlSeconds = 300) on Users.find(long)",
            "localTtlSeconds must be at most ttlSeconds"),
        Arguments.of(
            "refreshAfterSeconds = -1",
            "@ReadThrough(refreshAfterSeconds = -1) on Users.find(long)",
            "refreshAfterSeconds must not be negative; 0, the default, never reloads ahead"),
        Arguments.of(
            "refreshAfterSeconds = 300",
            "@ReadThrough(refreshAfterSeconds = 300, ttlSeconds = 300) on Users.find(long)",
            "refreshAfterSeconds must be below ttlSeconds"),
        Arguments.of(
            "refreshAfterSeconds = 900",
            "@ReadThrough(refreshAfterSeconds = 900, ttlSeconds = 300) on Users.find(long)",
            "refreshAfterSeconds must be below ttlSeconds"),
        Arguments.of(
            "staleIfErrorSeconds = -30",
            "@ReadThrough(staleIfErrorSeconds = -30) on Users.find(long)",
            "staleIfErrorSeconds must not be negative; 0, the default, keeps no stale entry"),
        Arguments.of(
            "staleIfErrorSeconds = 2147483648L",
            "@ReadThrough(staleIfErrorSeconds = 2147483648) on Users.find(long)",
            "staleIfErrorSeconds must be at most 2147483647 (about 68 years)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFreshness")
  void badLocalTtlRefreshOrStaleSeconds_failsAtTheMethod(
      String attribute, String at, String message) {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 300, %s)
          String find(long id) { return ""; }
        """
                .formatted(attribute));

    assertOneErrorAt(compilation, "@ReadThrough", at, message);
  }

  @Test
  void localTtlAndRefresh_withAnInvalidTtl_reportOnlyTheTtl() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 0, localTtlSeconds = 60, refreshAfterSeconds = 30)
          String find(long id) { return ""; }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "@ReadThrough(ttlSeconds = 0) on Users.find(long)",
        "ttlSeconds must be positive");
  }

  @Test
  void everyBadFreshnessAttribute_isReported_inAttributeOrder() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 60,
              localTtlSeconds = 120, refreshAfterSeconds = 60, staleIfErrorSeconds = -1)
          String find(long id) { return ""; }
        """);

    assertThat(compilation.errorMessages())
        .as(compilation.toString())
        .satisfiesExactly(
            m -> assertThat(m).contains("localTtlSeconds = 120, ttlSeconds = 60"),
            m -> assertThat(m).contains("refreshAfterSeconds = 60, ttlSeconds = 60"),
            m -> assertThat(m).contains("staleIfErrorSeconds = -1"));
  }

  @Test
  void localTtlRefreshAndStaleSecondsWithinBounds_compileWithoutErrors() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 300)
          String localAsLongAsTheEntry(long id) { return ""; }

          @ReadThrough(key = "id", ttlSeconds = 300, refreshAfterSeconds = 299)
          String refreshJustBeforeExpiry(long id) { return ""; }

          @ReadThrough(key = "id", ttlSeconds = 1, localTtlSeconds = 1, staleIfErrorSeconds = 86400)
          String staleLongerThanTheTtl(long id) { return ""; }

          @ReadThrough(key = "id", ttlSeconds = 2147483647, staleIfErrorSeconds = 2147483647)
          String longestTtlAndStale(long id) { return ""; }

          @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 0,
              refreshAfterSeconds = 0, staleIfErrorSeconds = 0)
          String allZero(long id) { return ""; }

          @ReadThrough(cache = "users", each = "ids", ttlSeconds = 300,
              localTtlSeconds = 30, refreshAfterSeconds = 240, staleIfErrorSeconds = 600)
          Map<Long, String> bulk(List<Long> ids) { return Map.of(); }

          @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 30, refreshAfterSeconds = 240)
          java.util.concurrent.CompletableFuture<String> async(long id) { return null; }
        """);

    assertThat(compilation.errors()).as(compilation.toString()).isEmpty();
  }

  @Test
  void voidMethod_withReadThrough_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 60)
          void touch(long id) {}
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "@ReadThrough on Users.touch(long)",
        "void method returns nothing to cache");
  }

  @Test
  void voidWrapperMethod_withWriteThrough_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @WriteThrough(cache = "users", key = "id", ttlSeconds = 60)
          Void save(long id) { return null; }
        """);

    assertOneErrorAt(
        compilation,
        "@WriteThrough",
        "@WriteThrough on Users.save(long)",
        "void method returns nothing to cache");
  }

  // ---- key part types ----

  @Test
  void keyPartOfAConcreteClass_failsWithAHintToNameAProperty() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "user", ttlSeconds = 60)
          String find(User user) { return ""; }
        """,
            """
        class User {
          long getId() { return 1; }
        }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "@ReadThrough(key = \"user\") on Users.find(User)",
        "key part 'user' has type app.User, which has no stable text",
        "(key = \"user.id\")");
  }

  @Test
  void emptyKey_withAParameterOfAConcreteClass_failsNamingThatParameter() {
    Compilation compilation =
        users(
            """
          @ReadThrough(ttlSeconds = 60)
          String find(long id, User user) { return ""; }
        """,
            """
        class User {}
        """);

    assertOneErrorAt(
        compilation, "@ReadThrough", "Users.find(long,User)", "key part 'user' has type app.User");
  }

  @Test
  void optionalKeyPart_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "region", ttlSeconds = 60)
          String find(Optional<String> region) { return ""; }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "Users.find(Optional)",
        "key part 'region' has type java.util.Optional<java.lang.String>,"
            + " which is an Optional; pass the value or null instead");
  }

  @Test
  void dottedKeyEndingInAConcreteClass_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "order.customer", ttlSeconds = 60)
          String find(Order order) { return ""; }
        """,
            """
        record Order(Customer customer) {}
        class Customer {}
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "key part 'order.customer' has type app.Customer",
        "(key = \"order.customer.id\")");
  }

  @Test
  void recordWithAnUnsupportedComponent_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "query", ttlSeconds = 60)
          String find(Query query) { return ""; }
        """,
            """
        record Query(String text, Thread owner) {}
        """);

    assertOneErrorAt(compilation, "@ReadThrough", "key part 'query' has type app.Query");
  }

  @Test
  void arrayOfAnUnsupportedClass_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "threads", ttlSeconds = 60)
          String find(Thread[] threads) { return ""; }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "Users.find(Thread[])",
        "key part 'threads' has type java.lang.Thread[], whose component"
            + " type is java.lang.Thread, which has no stable text");
  }

  // ---- the cached value is data ----

  @Test
  void recordHoldingAnInputStream_failsSayingWhatToReturnInstead() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 60)
          Report find(long id) { return null; }
        """,
            """
        record Report(String title, java.io.InputStream attachment) {}
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "@ReadThrough on Users.find(long): Report.attachment has type java.io.InputStream,"
            + " which is an open stream of bytes, not the bytes themselves: it cannot be cached;"
            + " return the bytes (byte[]) or a record of the data instead of an InputStream");
  }

  @Test
  void returningAnInputStreamSubclass_failsNamingTheFamily() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 60)
          java.io.ByteArrayInputStream find(long id) { return null; }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "the cached value has type java.io.ByteArrayInputStream, which is an open stream of"
            + " bytes, not the bytes themselves (InputStream): it cannot be cached;"
            + " return the bytes (byte[])");
  }

  @Test
  void returningAnIterator_failsSayingWhatToReturnInstead() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 60)
          java.util.Iterator<String> find(long id) { return null; }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "@ReadThrough on Users.find(long): the cached value has type java.util.Iterator<java.lang.String>,"
            + " which is a cursor that walks its elements once, not the elements themselves: it"
            + " cannot be cached; return a List of the elements instead of an Iterator");
  }

  @Test
  void fieldHoldingALambdaTarget_failsSayingItIsCode() {
    Compilation compilation =
        users(
            """
          @WriteThrough(cache = "jobs", key = "id", ttlSeconds = 60)
          java.util.concurrent.CompletableFuture<Job> save(long id) { return null; }
        """,
            """
        class Job { String name; java.util.List<java.util.function.Supplier<String>> steps; }
        """);

    assertOneErrorAt(
        compilation,
        "@WriteThrough",
        "@WriteThrough on Users.save(long): Job.steps has type"
            + " java.util.List<java.util.function.Supplier<java.lang.String>>, which holds"
            + " java.util.function.Supplier<java.lang.String>, which is code (a lambda or method"
            + " reference), not data: it cannot be cached; return the data it works on, or its"
            + " result, instead of a Supplier");
  }

  @Test
  void bulkValueOfAResultSet_failsSayingWhatToReturnInstead() {
    Compilation compilation =
        users(
            """
          @ReadThrough(cache = "rows", each = "ids", ttlSeconds = 60)
          Map<Long, java.sql.ResultSet> rows(List<Long> ids) { return Map.of(); }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "the cached value has type java.sql.ResultSet",
        "return the rows read from it as records (a List of records) instead of a ResultSet");
  }

  @Test
  void valueTypesThatCacheToday_compileWithoutErrors() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 60, cache = "a")
          Map<String, List<Optional<Customer>>> nested(long id) { return null; }

          @ReadThrough(key = "id", ttlSeconds = 60, cache = "b")
          Account pojo(long id) { return null; }

          @ReadThrough(key = "id", ttlSeconds = 60, cache = "c")
          byte[] bytes(long id) { return null; }

          @ReadThrough(key = "id", ttlSeconds = 60, cache = "d")
          Shape shape(long id) { return null; }

          @ReadThrough(key = "id", ttlSeconds = 60, cache = "e")
          <T extends Comparable<T>> List<T> sorted(long id) { return null; }

          @ReadThrough(key = "id", ttlSeconds = 60, cache = "f")
          Money money(long id) { return null; }

          @ReadThrough(key = "id", ttlSeconds = 60, cache = "g")
          Node node(long id) { return null; }
        """,
            """
        record Customer(String name, java.time.Instant since) {}
        class Account { String id; long cents; transient java.io.InputStream cache; }
        interface Shape { double area(); }
        record Money(long cents) implements Comparable<Money>, java.util.function.Supplier<Long> {
          public int compareTo(Money o) { return Long.compare(cents, o.cents); }
          public Long get() { return cents; }
        }
        class Node { String name; List<Node> children; Node parent; }
        """);

    assertThat(compilation.errors()).as(compilation.toString()).isEmpty();
  }

  // ---- combinations, cache names, allEntries ----

  @Test
  void readThroughWithWriteThrough_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 60, cache = "users")
          @WriteThrough(key = "id", ttlSeconds = 60, cache = "users")
          String find(long id) { return ""; }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "@ReadThrough and @WriteThrough cannot both annotate Users.find(long)");
  }

  @Test
  void readThroughWithInvalidate_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 60, cache = "users")
          @Invalidate(key = "id", cache = "users")
          String find(long id) { return ""; }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "@ReadThrough and @Invalidate cannot both annotate Users.find(long)",
        "a hit would skip the invalidation");
  }

  @Test
  void invalidateAllEntriesWithAKey_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @Invalidate(cache = "users", allEntries = true, key = "id")
          void evict(long id) {}
        """);

    assertOneErrorAt(
        compilation,
        "@Invalidate",
        "@Invalidate(allEntries = true, key = \"id\") on Users.evict(long)",
        "key and allEntries = true exclude each other");
  }

  @Test
  void cacheNameWithAColon_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 60, cache = "users:v2")
          String find(long id) { return ""; }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "@ReadThrough(cache = \"users:v2\") on Users.find(long)",
        "a cache name may hold letters, digits and . _ - / # @ $ only");
  }

  @Test
  void cacheNameWithASpaceOrAGlob_onWriteThroughAndInvalidate_fails() {
    Compilation compilation =
        users(
            """
          @WriteThrough(cache = "all users", key = "id", ttlSeconds = 60)
          String save(long id) { return ""; }

          @Invalidate(cache = "users*")
          void evict(long id) {}
        """);

    assertThat(compilation.errors())
        .as(compilation.toString())
        .satisfiesExactly(
            e -> {
              assertThat(e.getLineNumber()).isEqualTo(compilation.lineOf("@WriteThrough"));
              assertThat(e.getMessage(Locale.ROOT))
                  .contains("@WriteThrough(cache = \"all users\") on Users.save(long)");
            },
            e -> {
              assertThat(e.getLineNumber()).isEqualTo(compilation.lineOf("@Invalidate"));
              assertThat(e.getMessage(Locale.ROOT))
                  .contains("@Invalidate(cache = \"users*\") on Users.evict(long)");
            });
  }

  @Test
  void emptyCache_onWriteThrough_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @WriteThrough(cache = "", key = "id", ttlSeconds = 60)
          String save(long id) { return ""; }
        """);

    assertOneErrorAt(
        compilation,
        "@WriteThrough",
        "@WriteThrough(cache = \"\") on Users.save(long)",
        "cache must not be empty");
  }

  @Test
  void emptyCache_onInvalidate_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @Invalidate(cache = "", allEntries = true)
          void evictAll() {}
        """);

    assertOneErrorAt(
        compilation,
        "@Invalidate",
        "@Invalidate(cache = \"\") on Users.evictAll()",
        "cache must not be empty");
  }

  // ---- every error, each at its own method ----

  @Test
  void everyProblem_isReported_eachAtItsOwnMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = {"nope", "user"}, ttlSeconds = 0, cache = "a:b")
          void first(User user) {}

          @WriteThrough(cache = "", key = "user.missing", ttlSeconds = 60)
          String second(User user) { return ""; }
        """,
            """
        class User {}
        """);

    long first = compilation.lineOf("@ReadThrough");
    long second = compilation.lineOf("@WriteThrough");
    assertThat(compilation.errors())
        .as(compilation.toString())
        .extracting(Diagnostic::getLineNumber)
        .containsExactly(first, first, first, first, first, second, second);
    assertThat(compilation.errorMessages())
        .as(compilation.toString())
        .satisfiesExactly(
            m -> assertThat(m).contains("Users.first(User)", "ttlSeconds = 0"),
            m -> assertThat(m).contains("Users.first(User)", "void method"),
            m ->
                assertThat(m).contains("Users.first(User)", "key = \"nope\"", "names no parameter"),
            m -> assertThat(m).contains("Users.first(User)", "key part 'user' has type app.User"),
            m -> assertThat(m).contains("Users.first(User)", "cache = \"a:b\""),
            m -> assertThat(m).contains("Users.second(User)", "key = \"user.missing\""),
            m -> assertThat(m).contains("Users.second(User)", "cache = \"\""));
  }

  @Test
  void errorsOfSeveralMethods_areReportedInDeclarationOrder() {
    Compilation compilation =
        users(
            """
          @Invalidate(cache = "a b")
          void first(long id) {}

          @WriteThrough(cache = "users", key = "id", ttlSeconds = 0)
          String second(long id) { return ""; }

          @ReadThrough(key = "nope", ttlSeconds = 60)
          String third(long id) { return ""; }
        """);

    assertThat(compilation.errorMessages())
        .as(compilation.toString())
        .satisfiesExactly(
            m -> assertThat(m).contains("Users.first(long)"),
            m -> assertThat(m).contains("Users.second(long)"),
            m -> assertThat(m).contains("Users.third(long)"));
  }

  @Test
  void serviceFile_registersTheProcessor() {
    assertThat(
            ServiceLoader.load(Processor.class, getClass().getClassLoader()).stream()
                .map(ServiceLoader.Provider::type))
        .contains(ReadThroughProcessor.class);
  }

  // ---- valid declarations ----

  @Test
  void declarationsOfTheDesign_compileWithoutErrors() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 300)
          String find(long id) { return ""; }

          @ReadThrough(key = {"country", "page"}, ttlSeconds = 60, cache = "universities")
          List<String> universities(String country, int page) { return List.of(); }

          @ReadThrough(key = "user.id", ttlSeconds = 60)
          String byRecordAccessor(UserRecord user) { return ""; }

          @ReadThrough(ttlSeconds = 60)
          String allParameters(String country, int page, Kind kind) { return ""; }

          @ReadThrough(ttlSeconds = 60)
          String noParameters() { return ""; }

          @ReadThrough(key = "id", ttlSeconds = 60, cacheNulls = true)
          Optional<String> maybe(long id) { return Optional.empty(); }

          @WriteThrough(cache = "users", key = "user.id", ttlSeconds = 300)
          UserRecord save(UserRecord user) { return user; }

          @Invalidate(cache = "users", key = "id")
          void delete(long id) {}

          @Invalidate(cache = "universities", allEntries = true)
          void clear() {}

          @WriteThrough(cache = "users", key = "id", ttlSeconds = 60)
          @Invalidate(cache = "users-by-name", allEntries = true)
          String rename(long id, String name) { return name; }
        """,
            """
        record UserRecord(long id, String name) {}
        enum Kind { A, B }
        """);

    assertThat(compilation.errors()).as(compilation.toString()).isEmpty();
  }

  @Test
  void dottedPaths_throughGetterBooleanGetterRecordAccessorFluentAndField_compileWithoutErrors() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = {"account.id", "account.rich", "account.region", "account.tier"},
              ttlSeconds = 60, cache = "accounts")
          String byAccount(Account account) { return ""; }

          @ReadThrough(key = "customer.address.city", ttlSeconds = 60)
          String nested(Customer customer) { return ""; }

          @ReadThrough(key = {"premium.since", "premium.secret"}, ttlSeconds = 60)
          String inherited(Premium premium) { return ""; }

          @ReadThrough(key = "named.name", ttlSeconds = 60)
          String throughInterface(Named named) { return ""; }

          @ReadThrough(key = "box.value", ttlSeconds = 60)
          String generic(Box<String> box) { return ""; }
        """,
            """
        class Account {
          String region;
          private long id;
          long getId() { return id; }
          boolean isRich() { return true; }
          int tier() { return 1; }
        }
        record Customer(Address address) {}
        record Address(String city) {}
        class Base {
          private java.time.Instant since;
          private String secret() { return ""; }
        }
        class Premium extends Base {}
        interface Named { String getName(); }
        class Box<T> { T value; }
        """);

    assertThat(compilation.errors()).as(compilation.toString()).isEmpty();
  }

  @Test
  void keyPartsOfEverySupportedType_compileWithoutErrors() {
    Compilation compilation =
        users(
            """
          @ReadThrough(ttlSeconds = 60)
          <T extends CharSequence> String all(
              int i, long l, char c, boolean b, double d,
              Integer boxed, Long boxedLong, Boolean flag, Character ch,
              String s, CharSequence cs, StringBuilder sb, Kind kind, UUID uuid,
              java.math.BigInteger big, java.math.BigDecimal decimal,
              java.time.LocalDate date, java.time.Instant instant, java.time.Duration duration,
              java.time.Period period, java.time.ZoneId zone,
              Point point, Node node, int[] ints, String[][] grid, Point[] points,
              List<String> list, Set<Kind> set, ArrayList<String> arrayList, SortedSet<Integer> sorted,
              Map<String, List<Point>> map, List<? extends Long> bounded, T boundedVariable,
              java.time.ZonedDateTime zoned, java.time.YearMonth month, Box<String> box) {
            return "";
          }
        """,
            """
        enum Kind { A, B }
        record Point(int x, int y, String label, Kind kind) {}
        record Node(String name, Node next) {}
        record Box<V>(V value) {}
        """);

    assertThat(compilation.errors()).as(compilation.toString()).isEmpty();
  }

  /** Declared key types whose values of different kinds could share a key, and what is said. */
  static Stream<Arguments> ambiguousKeyTypes() {
    String exact = "which can hold values of different kinds with the same text";
    String listOrSet = "which holds lists and sets alike";
    String raw = "which is raw, so the type of its elements is unknown";
    return Stream.of(
        Arguments.of("Object", "java.lang.Object, " + exact),
        Arguments.of("Number", "java.lang.Number, " + exact),
        Arguments.of("Comparable<String>", "java.lang.Comparable<java.lang.String>, " + exact),
        Arguments.of("java.io.Serializable", "java.io.Serializable, " + exact),
        Arguments.of("Runnable", "java.lang.Runnable, " + exact),
        Arguments.of("Enum<?>", "java.lang.Enum<?>, " + exact),
        Arguments.of("T", "T, " + exact),
        Arguments.of("Collection<String>", "java.util.Collection<java.lang.String>, " + listOrSet),
        Arguments.of("Iterable<String>", "java.lang.Iterable<java.lang.String>, " + listOrSet),
        Arguments.of("Queue<String>", "java.util.Queue<java.lang.String>, " + listOrSet),
        Arguments.of("List", "java.util.List, " + raw),
        Arguments.of("Map", "java.util.Map, " + raw),
        Arguments.of("List<?>", "java.util.List<?>, whose element type is ?, " + exact),
        Arguments.of(
            "Set<Object>",
            "java.util.Set<java.lang.Object>, whose element type is java.lang.Object, " + exact),
        Arguments.of(
            "List<? super Long>", "whose element type is ? super java.lang.Long, " + exact),
        Arguments.of("Map<String, Number>", "whose value type is java.lang.Number, " + exact),
        Arguments.of("Map<Object, String>", "whose key type is java.lang.Object, " + exact),
        Arguments.of(
            "List<List<Object>>",
            "whose element type is java.util.List<java.lang.Object>,"
                + " whose element type is java.lang.Object, "
                + exact),
        Arguments.of(
            "Object[]", "java.lang.Object[], whose component type is java.lang.Object, " + exact),
        Arguments.of("Holder", "app.Holder, whose component 'value' is java.lang.Number, " + exact),
        Arguments.of(
            "Box<Object>",
            "app.Box<java.lang.Object>, whose component 'value' is java.lang.Object, " + exact),
        Arguments.of(
            "List<Thread>", "whose element type is java.lang.Thread, which has no stable text"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ambiguousKeyTypes")
  void keyPartOfAnAmbiguousType_failsSayingWhatToDeclare(String declared, String message) {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 60)
          <T> String find(%s id) { return ""; }
        """
                .formatted(declared),
            """
        record Holder(Number value) {}
        record Box<V>(V value) {}
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "@ReadThrough(key = \"id\") on Users.find(",
        "key part 'id' has type ",
        message);
  }

  @Test
  void dottedKeyEndingInAnAmbiguousType_fails_evenThroughAGenericProperty() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = {"box.value", "holder.value"}, ttlSeconds = 60)
          String find(Box<Object> box, Holder holder) { return ""; }
        """,
            """
        class Box<T> { T value; }
        record Holder(Number value) {}
        """);

    assertThat(compilation.errorMessages())
        .as(compilation.toString())
        .satisfiesExactly(
            m ->
                assertThat(m)
                    .contains("key part 'box.value' has type java.lang.Object, which can hold"),
            m ->
                assertThat(m)
                    .contains("key part 'holder.value' has type java.lang.Number, which can hold"));
  }

  @Test
  void ttlSecondsAboveIntegerMaxValue_failsAtTheMethod() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 2147483648L)
          String find(long id) { return ""; }
        """);

    assertOneErrorAt(
        compilation,
        "@ReadThrough",
        "@ReadThrough(ttlSeconds = 2147483648) on Users.find(long)",
        "ttlSeconds must be at most 2147483647");
  }

  // ---- each: bulk read-through and invalidation ----

  @Test
  void bulkDeclarationsOfTheDesign_compileWithoutErrors() {
    Compilation compilation =
        users(
            """
          @ReadThrough(cache = "users", each = "ids", ttlSeconds = 300)
          Map<Long, String> findAll(Collection<Long> ids) { return Map.of(); }

          @ReadThrough(cache = "prices", key = "currency", each = "skus", ttlSeconds = 60)
          Map<String, Integer> prices(String currency, List<String> skus) { return Map.of(); }

          @ReadThrough(cache = "users", each = "ids", ttlSeconds = 300)
          Map<Long, String> byArray(long[] ids) { return Map.of(); }

          @ReadThrough(cache = "users", each = "ids", ttlSeconds = 300)
          java.util.concurrent.CompletableFuture<Map<Long, String>> async(Set<Long> ids) { return null; }

          @ReadThrough(cache = "kinds", each = "kinds", ttlSeconds = 300)
          java.util.concurrent.CompletionStage<Map<Kind, String>> kinds(List<? extends Kind> kinds) { return null; }

          @Invalidate(cache = "users", each = "ids")
          void deleteAll(Set<Long> ids) {}
        """,
            """
        enum Kind { A, B }
        """);

    assertThat(compilation.errors()).as(compilation.toString()).isEmpty();
  }

  /** Broken {@code each} declarations and the message each one gets. */
  static Stream<Arguments> brokenEach() {
    return Stream.of(
        Arguments.of(
            "@ReadThrough(cache = \"u\", each = \"idz\", ttlSeconds = 60)",
            "Map<Long, String> m(List<Long> ids)",
            "@ReadThrough(each = \"idz\") on Users.m(List): names no parameter; parameters are [ids]"),
        Arguments.of(
            "@ReadThrough(cache = \"u\", each = \"ids\", ttlSeconds = 60)",
            "Map<Long, String> m(Map<Long, String> ids)",
            "@ReadThrough(each = \"ids\") on Users.m(Map): parameter 'ids' has type"
                + " java.util.Map<java.lang.Long, java.lang.String>; each takes a Collection<E>,"
                + " List<E>, Set<E> or E[]"),
        Arguments.of(
            "@ReadThrough(cache = \"u\", each = \"ids\", ttlSeconds = 60)",
            "Map<Long, String> m(ArrayList<Long> ids)",
            "parameter 'ids' has type java.util.ArrayList<java.lang.Long>; each takes a Collection<E>"),
        Arguments.of(
            "@ReadThrough(cache = \"u\", each = \"ids\", ttlSeconds = 60)",
            "Map<Long, String> m(List ids)",
            "@ReadThrough(each = \"ids\") on Users.m(List): parameter 'ids' has the raw type"
                + " java.util.List; declare List<E>"),
        Arguments.of(
            "@ReadThrough(cache = \"u\", each = \"ids\", ttlSeconds = 60)",
            "Map<Object, String> m(Collection<Object> ids)",
            "@ReadThrough(each = \"ids\") on Users.m(Collection): an element of 'ids' has type"
                + " java.lang.Object, which can hold values of different kinds with the same text"),
        Arguments.of(
            "@ReadThrough(cache = \"u\", each = \"ids\", ttlSeconds = 60)",
            "Map<Long, String> m(List<?> ids)",
            "an element of 'ids' has type ?, which can hold values of different kinds"),
        Arguments.of(
            "@ReadThrough(cache = \"u\", key = {\"region\", \"ids\"}, each = \"ids\", ttlSeconds = 60)",
            "Map<Long, String> m(String region, List<Long> ids)",
            "@ReadThrough(each = \"ids\", key = \"ids\") on Users.m(String,List): key must not"
                + " name the each parameter"),
        Arguments.of(
            "@ReadThrough(cache = \"u\", each = \"ids\", ttlSeconds = 60)",
            "List<String> m(List<Long> ids)",
            "@ReadThrough(each = \"ids\") on Users.m(List): returns java.util.List<java.lang.String>;"
                + " a bulk read-through returns a Map from each element to its value (or a"
                + " CompletableFuture or CompletionStage of one): Map<java.lang.Long, V>"),
        Arguments.of(
            "@ReadThrough(cache = \"u\", each = \"ids\", ttlSeconds = 60)",
            "HashMap<Long, String> m(List<Long> ids)",
            "returns java.util.HashMap<java.lang.Long, java.lang.String>; a bulk read-through returns a Map"),
        Arguments.of(
            "@ReadThrough(cache = \"u\", each = \"ids\", ttlSeconds = 60)",
            "Map<String, String> m(long[] ids)",
            "@ReadThrough(each = \"ids\") on Users.m(long[]): returns java.util.Map<java.lang.String,"
                + " java.lang.String>, whose keys are java.lang.String, not the elements of 'ids';"
                + " declare Map<java.lang.Long, V>"),
        Arguments.of(
            "@ReadThrough(cache = \"u\", each = \"ids\", ttlSeconds = 60)",
            "java.util.concurrent.CompletableFuture<Map<Integer, String>> m(Set<Long> ids)",
            "whose keys are java.lang.Integer, not the elements of 'ids'"),
        Arguments.of(
            "@Invalidate(cache = \"u\", each = \"ids\", allEntries = true)",
            "void m(Set<Long> ids)",
            "@Invalidate(allEntries = true, each = \"ids\") on Users.m(Set): each and allEntries ="
                + " true exclude each other"),
        Arguments.of(
            "@Invalidate(cache = \"u\", each = \"ids\")",
            "void m(Iterable<Long> ids)",
            "@Invalidate(each = \"ids\") on Users.m(Iterable): parameter 'ids' has type"
                + " java.lang.Iterable<java.lang.Long>; each takes"),
        Arguments.of(
            "@Invalidate(cache = \"u\", key = \"ids.size\", each = \"ids\")",
            "void m(Set<Long> ids)",
            "@Invalidate(each = \"ids\", key = \"ids.size\") on Users.m(Set): key must not name the"
                + " each parameter"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("brokenEach")
  void brokenEach_failsNamingTheMethodAndAttribute(
      String annotation, String method, String message) {
    Compilation compilation =
        users(
            annotation
                + "\n  "
                + method
                + " { "
                + (method.startsWith("void") ? "" : "return null; ")
                + "}\n");

    assertOneErrorAt(compilation, annotation, message);
  }

  // ---- async results ----

  @Test
  void asyncDeclarations_compileWithoutErrors() {
    Compilation compilation =
        users(
            """
          @ReadThrough(key = "id", ttlSeconds = 60)
          java.util.concurrent.CompletableFuture<String> find(long id) { return null; }

          @ReadThrough(key = "id", ttlSeconds = 60, cacheNulls = true)
          java.util.concurrent.CompletionStage<Optional<String>> maybe(long id) { return null; }

          @ReadThrough(key = "id", ttlSeconds = 60)
          java.util.concurrent.CompletableFuture<? extends CharSequence> bounded(long id) { return null; }

          @WriteThrough(cache = "users", key = "id", ttlSeconds = 60)
          java.util.concurrent.CompletableFuture<String> save(long id) { return null; }

          @Invalidate(cache = "users", key = "id")
          java.util.concurrent.CompletableFuture<Void> delete(long id) { return null; }
        """);

    assertThat(compilation.errors()).as(compilation.toString()).isEmpty();
  }

  /** Return types an async cached method cannot have, and the message each one gets. */
  static Stream<Arguments> brokenAsync() {
    String declare =
        "declare CompletableFuture<T>, with T the type it completes with, which is what is cached";
    return Stream.of(
        Arguments.of(
            "@ReadThrough",
            "java.util.concurrent.CompletableFuture",
            "@ReadThrough on Users.m(long): returns a raw java.util.concurrent.CompletableFuture; "
                + declare),
        Arguments.of(
            "@ReadThrough",
            "java.util.concurrent.CompletionStage",
            "returns a raw java.util.concurrent.CompletionStage; declare CompletionStage<T>"),
        Arguments.of(
            "@ReadThrough",
            "java.util.concurrent.CompletableFuture<?>",
            "@ReadThrough on Users.m(long): returns java.util.concurrent.CompletableFuture<?>, whose"
                + " result type is unknown; "
                + declare),
        Arguments.of(
            "@ReadThrough",
            "java.util.concurrent.CompletableFuture<? super String>",
            "whose result type is unknown"),
        Arguments.of(
            "@ReadThrough",
            "java.util.concurrent.CompletableFuture<Void>",
            "@ReadThrough on Users.m(long): returns java.util.concurrent.CompletableFuture<java.lang.Void>,"
                + " which completes with nothing to cache"),
        Arguments.of(
            "@WriteThrough",
            "java.util.concurrent.CompletionStage<Void>",
            "@WriteThrough on Users.m(long): returns java.util.concurrent.CompletionStage<java.lang.Void>,"
                + " which completes with nothing to cache"),
        Arguments.of(
            "@ReadThrough",
            "java.util.concurrent.Future<String>",
            "@ReadThrough on Users.m(long): returns java.util.concurrent.Future<java.lang.String>, which"
                + " the engine cannot complete; return CompletableFuture or CompletionStage"),
        Arguments.of(
            "@ReadThrough",
            "java.util.concurrent.FutureTask<String>",
            "returns java.util.concurrent.FutureTask<java.lang.String>, which the engine cannot complete"),
        Arguments.of(
            "@ReadThrough",
            "java.util.concurrent.ScheduledFuture<String>",
            "which the engine cannot complete; return CompletableFuture or CompletionStage"),
        Arguments.of(
            "@WriteThrough",
            "java.util.concurrent.Future<String>",
            "@WriteThrough on Users.m(long): returns java.util.concurrent.Future<java.lang.String>,"
                + " which the engine cannot complete"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("brokenAsync")
  void brokenAsyncReturnType_failsSayingWhatToReturn(
      String annotation, String returned, String message) {
    String attributes =
        annotation.equals("@WriteThrough")
            ? "(cache = \"users\", key = \"id\", ttlSeconds = 60)"
            : "(key = \"id\", ttlSeconds = 60)";
    Compilation compilation =
        users(annotation + attributes + "\n  " + returned + " m(long id) { return null; }\n");

    assertOneErrorAt(compilation, annotation, message);
  }

  @Test
  void unannotatedMethods_areIgnored() {
    Compilation compilation =
        users(
            """
          void plain(Thread thread) {}
        """);

    assertThat(compilation.errors()).as(compilation.toString()).isEmpty();
  }
}
