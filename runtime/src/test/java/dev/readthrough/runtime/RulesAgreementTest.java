package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.processor.ReadThroughProcessor;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The annotation processor and the runtime apply one rule set: every broken declaration below,
 * compiled once with the processor and once into classes checked by the engine at first call, gets
 * exactly the same problems from both, in the same words and order, and every valid one is accepted
 * by both.
 */
class RulesAgreementTest {

  /** Each case is one class {@code app.<name>} holding one annotated method and its own types. */
  private static final Map<String, String> CASES = new LinkedHashMap<>();

  static {
    broken(
        "KeyNamesNoParameter",
        """
        @ReadThrough(key = "userId", ttlSeconds = 60) String m(long id, String region) { return null; }""");
    broken(
        "UnknownProperty",
        """
        @ReadThrough(key = "user.ident", ttlSeconds = 60) String m(User user) { return null; }
        static class User { long id; long getId() { return id; } }""");
    broken(
        "PathIntoAPrimitive",
        """
        @ReadThrough(key = "id.value", ttlSeconds = 60) String m(long id) { return null; }""");
    broken(
        "IsGetterNotBoolean",
        """
        @ReadThrough(key = "user.active", ttlSeconds = 60) String m(User user) { return null; }
        static class User { String isActive() { return ""; } }""");
    broken(
        "StaticMembers",
        """
        @ReadThrough(key = {"user.region", "user.code"}, ttlSeconds = 60) String m(User user) { return null; }
        static class User { static String region; static String getCode() { return ""; } }""");
    broken(
        "EmptyKeyEntry",
        """
        @ReadThrough(key = {"id", ""}, ttlSeconds = 60) String m(long id) { return null; }""");
    broken(
        "TtlZero",
        """
        @ReadThrough(key = "id", ttlSeconds = 0) String m(long id) { return null; }""");
    broken(
        "TtlNegativeOnWrite",
        """
        @WriteThrough(cache = "users", key = "id", ttlSeconds = -5) String m(long id) { return null; }""");
    broken(
        "TtlTooLong",
        """
        @ReadThrough(key = "id", ttlSeconds = 2147483648L) String m(long id) { return null; }""");
    broken(
        "LocalTtlNegative",
        """
        @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = -1) String m(long id) { return null; }""");
    broken(
        "LocalTtlAboveTtl",
        """
        @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 600) String m(long id) { return null; }""");
    broken(
        "RefreshNegative",
        """
        @ReadThrough(key = "id", ttlSeconds = 300, refreshAfterSeconds = -1) String m(long id) { return null; }""");
    broken(
        "RefreshAtTtl",
        """
        @ReadThrough(key = "id", ttlSeconds = 300, refreshAfterSeconds = 300) String m(long id) { return null; }""");
    broken(
        "RefreshAboveTtl",
        """
        @ReadThrough(key = "id", ttlSeconds = 300, refreshAfterSeconds = 900) String m(long id) { return null; }""");
    broken(
        "StaleNegative",
        """
        @ReadThrough(key = "id", ttlSeconds = 300, staleIfErrorSeconds = -30) String m(long id) { return null; }""");
    broken(
        "StaleTooLong",
        """
        @ReadThrough(key = "id", ttlSeconds = 300, staleIfErrorSeconds = 2147483648L) String m(long id) { return null; }""");
    broken(
        "LocalTtlAndRefreshWithTtlZero",
        """
        @ReadThrough(key = "id", ttlSeconds = 0, localTtlSeconds = 60, refreshAfterSeconds = 30) String m(long id) { return null; }""");
    broken(
        "EveryFreshnessAttributeBad",
        """
        @ReadThrough(cache = "u", each = "ids", ttlSeconds = 60, localTtlSeconds = 120,
            refreshAfterSeconds = 60, staleIfErrorSeconds = -1)
        Map<Long, String> m(List<Long> ids) { return null; }""");
    broken(
        "VoidRead",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) void m(long id) {}""");
    broken(
        "VoidWrapperWrite",
        """
        @WriteThrough(cache = "users", key = "id", ttlSeconds = 60) Void m(long id) { return null; }""");
    broken(
        "ConcreteClassKey",
        """
        @ReadThrough(key = "thread", ttlSeconds = 60) String m(Thread thread) { return null; }""");
    broken(
        "EveryParameterKey",
        """
        @ReadThrough(ttlSeconds = 60) String m(long id, User user) { return null; }
        static class User {}""");
    broken(
        "OptionalKey",
        """
        @ReadThrough(key = "region", ttlSeconds = 60) String m(Optional<String> region) { return null; }""");
    broken(
        "ObjectKey",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) String m(Object id) { return null; }""");
    broken(
        "NumberKey",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) String m(Number id) { return null; }""");
    broken(
        "ComparableKey",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) String m(Comparable<String> id) { return null; }""");
    broken(
        "TypeVariableKey",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) <T extends Number> String m(T id) { return null; }""");
    broken(
        "CollectionKey",
        """
        @ReadThrough(key = "ids", ttlSeconds = 60) String m(Collection<Long> ids) { return null; }""");
    broken(
        "WildcardListKey",
        """
        @ReadThrough(key = "ids", ttlSeconds = 60) String m(List<?> ids) { return null; }""");
    broken(
        "RawMapKey",
        """
        @ReadThrough(key = "filter", ttlSeconds = 60) String m(Map filter) { return null; }""");
    broken(
        "NestedAmbiguousKey",
        """
        @ReadThrough(key = "ids", ttlSeconds = 60) String m(Map<String, List<Object>> ids) { return null; }""");
    broken(
        "RecordWithABadComponent",
        """
        @ReadThrough(key = "query", ttlSeconds = 60) String m(Query query) { return null; }
        record Query(String text, Thread owner) {}""");
    broken(
        "ArrayOfThreads",
        """
        @ReadThrough(key = "threads", ttlSeconds = 60) String m(Thread[] threads) { return null; }""");
    broken(
        "GenericPropertyOfObject",
        """
        @ReadThrough(key = "box.value", ttlSeconds = 60) String m(Box<Object> box) { return null; }
        static class Box<T> { T value; }""");
    broken(
        "ReadAndWrite",
        """
        @ReadThrough(key = "id", ttlSeconds = 60, cache = "users")
        @WriteThrough(key = "id", ttlSeconds = 60, cache = "users")
        String m(long id) { return null; }""");
    broken(
        "ReadAndInvalidate",
        """
        @ReadThrough(key = "id", ttlSeconds = 60, cache = "users")
        @Invalidate(key = "id", cache = "users")
        String m(long id) { return null; }""");
    broken(
        "AllEntriesWithKey",
        """
        @Invalidate(cache = "users", allEntries = true, key = "id") void m(long id) {}""");
    broken(
        "AllEntriesWithEach",
        """
        @Invalidate(cache = "users", allEntries = true, each = "ids") void m(Set<Long> ids) {}""");
    broken(
        "CacheNameWithAColon",
        """
        @ReadThrough(key = "id", ttlSeconds = 60, cache = "users:v2") String m(long id) { return null; }""");
    broken(
        "EmptyCacheOnWrite",
        """
        @WriteThrough(cache = "", key = "id", ttlSeconds = 60) String m(long id) { return null; }""");
    broken(
        "GlobCacheOnInvalidate",
        """
        @Invalidate(cache = "users*") void m(long id) {}""");
    broken(
        "EachNamesNoParameter",
        """
        @ReadThrough(cache = "u", each = "idz", ttlSeconds = 60) Map<Long, String> m(List<Long> ids) { return null; }""");
    broken(
        "EachOfAMap",
        """
        @ReadThrough(cache = "u", each = "ids", ttlSeconds = 60) Map<Long, String> m(Map<Long, String> ids) { return null; }""");
    broken(
        "EachOfARawList",
        """
        @ReadThrough(cache = "u", each = "ids", ttlSeconds = 60) Map<Long, String> m(List ids) { return null; }""");
    broken(
        "EachOfObjects",
        """
        @ReadThrough(cache = "u", each = "ids", ttlSeconds = 60) Map<Object, String> m(Collection<Object> ids) { return null; }""");
    broken(
        "KeyNamesEach",
        """
        @ReadThrough(cache = "u", key = {"region", "ids"}, each = "ids", ttlSeconds = 60)
        Map<Long, String> m(String region, List<Long> ids) { return null; }""");
    broken(
        "EachNotReturningAMap",
        """
        @ReadThrough(cache = "u", each = "ids", ttlSeconds = 60) List<String> m(List<Long> ids) { return null; }""");
    broken(
        "EachWithOtherMapKeys",
        """
        @ReadThrough(cache = "u", each = "ids", ttlSeconds = 60) Map<String, String> m(long[] ids) { return null; }""");
    broken(
        "InvalidateEachOfIterable",
        """
        @Invalidate(cache = "u", each = "ids") void m(Iterable<Long> ids) {}""");
    broken(
        "RawFuture",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) CompletableFuture m(long id) { return null; }""");
    broken(
        "FutureOfUnknown",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) CompletionStage<?> m(long id) { return null; }""");
    broken(
        "FutureOfVoid",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) CompletableFuture<Void> m(long id) { return null; }""");
    broken(
        "PlainFuture",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) Future<String> m(long id) { return null; }""");
    broken(
        "WriteOfPlainFuture",
        """
        @WriteThrough(cache = "users", key = "id", ttlSeconds = 60) FutureTask<String> m(long id) { return null; }""");
    broken(
        "InputStreamValue",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) java.io.InputStream m(long id) { return null; }""");
    broken(
        "RecordWithAStream",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) Report m(long id) { return null; }
        record Report(String title, java.io.InputStream attachment) {}""");
    broken(
        "PojoWithAReaderField",
        """
        @WriteThrough(cache = "docs", key = "id", ttlSeconds = 60) Doc m(long id) { return null; }
        static class Doc { String title; private java.io.StringReader body; }""");
    broken(
        "InheritedThreadField",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) Job m(long id) { return null; }
        static class Base { Thread worker; }
        static class Job extends Base { String name; }""");
    broken(
        "ListOfSuppliers",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) List<java.util.function.Supplier<String>> m(long id) { return null; }""");
    broken(
        "RunnableComponent",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) Task m(long id) { return null; }
        record Task(String name, Runnable action) {}""");
    broken(
        "OwnFunctionalInterface",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) Rule m(long id) { return null; }
        record Rule(String name, Check check) {}
        @FunctionalInterface interface Check { boolean test(String s); }""");
    broken(
        "OptionalOfAConnection",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) Optional<java.sql.Connection> m(long id) { return null; }""");
    broken(
        "FutureOfAResultSet",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) CompletableFuture<java.sql.ResultSet> m(long id) { return null; }""");
    broken(
        "BulkOfSockets",
        """
        @ReadThrough(cache = "s", each = "ids", ttlSeconds = 60) Map<Long, java.net.Socket> m(List<Long> ids) { return null; }""");
    broken(
        "ArrayOfExecutors",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) ExecutorService[] m(long id) { return null; }""");
    broken(
        "GenericBoxOfAStream",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) Box<java.util.stream.Stream<String>> m(long id) { return null; }
        static class Box<T> { T value; }""");
    broken(
        "OwnStreamSubclass",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) Blob m(long id) { return null; }
        static class Blob extends java.io.ByteArrayInputStream { Blob() { super(new byte[0]); } }""");
    broken(
        "IteratorValue",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) Iterator<String> m(long id) { return null; }""");
    broken(
        "ListIteratorValue",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) ListIterator<String> m(long id) { return null; }""");
    broken(
        "FutureOfAScanner",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) CompletableFuture<Scanner> m(long id) { return null; }""");
    broken(
        "RecordWithAnEnumeration",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) Page m(long id) { return null; }
        record Page(String title, Enumeration<String> lines) {}""");
    broken(
        "SpliteratorValue",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) Spliterator<Long> m(long id) { return null; }""");
    broken(
        "ClassLoaderField",
        """
        @ReadThrough(key = "id", ttlSeconds = 60) Plugin m(long id) { return null; }
        record Plugin(String name, Map<String, ClassLoader> loaders) {}""");
    broken(
        "SeveralProblems",
        """
        @ReadThrough(key = {"nope", "user"}, ttlSeconds = 0, cache = "a:b") void m(User user) {}
        static class User {}""");
  }

  /** Each valid case is one class {@code app.<name>} holding one method both accept. */
  private static final Map<String, String> VALID = new LinkedHashMap<>();

  static {
    valid(
        "LocalTtlEqualToTtl",
        """
        @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 300) String m(long id) { return null; }""");
    valid(
        "RefreshJustBelowTtl",
        """
        @ReadThrough(key = "id", ttlSeconds = 300, refreshAfterSeconds = 299) String m(long id) { return null; }""");
    valid(
        "StaleLongerThanTtl",
        """
        @ReadThrough(key = "id", ttlSeconds = 1, localTtlSeconds = 1, staleIfErrorSeconds = 86400) String m(long id) { return null; }""");
    valid(
        "LongestTtlAndStale",
        """
        @ReadThrough(key = "id", ttlSeconds = 2147483647, staleIfErrorSeconds = 2147483647) String m(long id) { return null; }""");
    valid(
        "FreshnessAllZero",
        """
        @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 0, refreshAfterSeconds = 0,
            staleIfErrorSeconds = 0)
        String m(long id) { return null; }""");
    valid(
        "BulkWithEveryFreshnessAttribute",
        """
        @ReadThrough(cache = "u", each = "ids", ttlSeconds = 300, localTtlSeconds = 30,
            refreshAfterSeconds = 240, staleIfErrorSeconds = 600)
        Map<Long, String> m(List<Long> ids) { return null; }""");
    valid(
        "AsyncWithLocalTtlAndRefresh",
        """
        @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 30, refreshAfterSeconds = 240)
        CompletableFuture<String> m(long id) { return null; }""");
  }

  private static void broken(String name, String members) {
    CASES.put(name, source(name, members));
  }

  private static void valid(String name, String members) {
    VALID.put(name, source(name, members));
  }

  private static String source(String name, String members) {
    return """
        package app;

        import dev.readthrough.Invalidate;
        import dev.readthrough.ReadThrough;
        import dev.readthrough.WriteThrough;
        import java.util.*;
        import java.util.concurrent.*;

        public class %s {
        %s
        }
        """
        .formatted(name, members);
  }

  private static Map<String, List<String>> processorErrors;
  private static ClassLoader classes;
  private static Map<String, List<String>> processorErrorsOfValid;
  private static ClassLoader validClasses;

  @BeforeAll
  static void compileEveryCase() {
    processorErrors = InMemoryJavac.errors(CASES, new ReadThroughProcessor());
    classes = InMemoryJavac.classes(CASES);
    processorErrorsOfValid = InMemoryJavac.errors(VALID, new ReadThroughProcessor());
    validClasses = InMemoryJavac.classes(VALID);
  }

  static Stream<Arguments> cases() {
    return CASES.keySet().stream().map(Arguments::of);
  }

  static Stream<Arguments> validCases() {
    return VALID.keySet().stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void processorAndRuntime_reportTheSameProblems(String name) throws ClassNotFoundException {
    Method method = annotatedMethod(classes.loadClass("app." + name));

    CacheDeclarationException atFirstCall =
        catchThrowableOfType(
            CacheDeclarationException.class, () -> DetachedPlans.parse(method, null));

    List<String> atBuild = processorErrors.getOrDefault(name, List.of());
    assertThat(atBuild).as("processor errors").isNotEmpty();
    assertThat(atFirstCall)
        .as("no problem at first call; the processor reported %s", atBuild)
        .isNotNull();
    assertThat(atFirstCall.problems()).containsExactlyElementsOf(atBuild);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validCases")
  void processorAndRuntime_acceptTheSameDeclarations(String name) throws ClassNotFoundException {
    Method method = annotatedMethod(validClasses.loadClass("app." + name));

    assertThat(processorErrorsOfValid.getOrDefault(name, List.of()))
        .as("processor errors")
        .isEmpty();
    assertThat(DetachedPlans.parse(method, null)).as("plan at first call").isNotNull();
  }

  private static Method annotatedMethod(Class<?> type) {
    List<Method> annotated =
        Arrays.stream(type.getDeclaredMethods())
            .filter(
                m ->
                    m.isAnnotationPresent(ReadThrough.class)
                        || m.isAnnotationPresent(WriteThrough.class)
                        || m.isAnnotationPresent(Invalidate.class))
            .toList();
    assertThat(annotated).as("annotated methods of %s", type).hasSize(1);
    return annotated.get(0);
  }
}
