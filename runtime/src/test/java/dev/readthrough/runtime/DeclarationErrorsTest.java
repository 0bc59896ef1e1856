package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.runtime.Fixtures.User;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Declarations the engine cannot honour fail at the first call, naming the method and the
 * attribute, instead of caching something wrong.
 */
class DeclarationErrorsTest extends EngineTest {

  /** A service whose every method is declared wrongly on purpose. */
  static class Broken {
    int calls;

    @ReadThrough(key = "userId", ttlSeconds = 60, cache = "broken")
    public String unknownParameter(long id) {
      calls++;
      return "x";
    }

    @ReadThrough(key = "user.nickname", ttlSeconds = 60, cache = "broken")
    public String unresolvablePath(User user) {
      calls++;
      return "x";
    }

    @ReadThrough(key = "id", ttlSeconds = 0, cache = "broken")
    public String zeroTtl(long id) {
      calls++;
      return "x";
    }

    @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 600, cache = "broken")
    public String localTtlAboveTtl(long id) {
      calls++;
      return "x";
    }

    @ReadThrough(key = "id", ttlSeconds = 300, refreshAfterSeconds = 300, cache = "broken")
    public String refreshAtTtl(long id) {
      calls++;
      return "x";
    }

    @ReadThrough(key = "id", ttlSeconds = 300, staleIfErrorSeconds = -1, cache = "broken")
    public String negativeStale(long id) {
      calls++;
      return "x";
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "broken")
    public void voidMethod(long id) {
      calls++;
    }

    @ReadThrough(key = "thread", ttlSeconds = 60, cache = "broken")
    public String unstableKeyType(Thread thread) {
      calls++;
      return "x";
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "broken")
    public String optionalKey(Optional<String> id) {
      calls++;
      return "x";
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "a:b")
    public String cacheNameWithSeparator(long id) {
      calls++;
      return "x";
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "broken")
    @Invalidate(cache = "other", key = "id")
    public String readAndInvalidate(long id) {
      calls++;
      return "x";
    }

    @Invalidate(cache = "broken", key = "id", allEntries = true)
    public void keyAndAllEntries(long id) {
      calls++;
    }

    @ReadThrough(
        key = {"id", "missing"},
        ttlSeconds = -5,
        cache = "broken")
    public String severalProblems(long id) {
      calls++;
      return "x";
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "broken")
    public String objectKey(Object id) {
      calls++;
      return "x";
    }

    @WriteThrough(cache = "broken", key = "id", ttlSeconds = 60)
    public void voidWrite(long id) {
      calls++;
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "broken")
    public String numberKey(Number id) {
      calls++;
      return "x";
    }

    @ReadThrough(key = "ids", ttlSeconds = 60, cache = "broken")
    public String collectionKey(Collection<Long> ids) {
      calls++;
      return "x";
    }

    @ReadThrough(key = "id", ttlSeconds = 3_000_000_000L, cache = "broken")
    public String hugeTtl(long id) {
      calls++;
      return "x";
    }

    @ReadThrough(each = "ids", ttlSeconds = 60, cache = "broken")
    public List<String> bulkNotReturningAMap(List<Long> ids) {
      calls++;
      return List.of();
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "broken")
    public CompletableFuture<Void> futureOfVoid(long id) {
      calls++;
      return CompletableFuture.completedFuture(null);
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "broken")
    public Future<String> plainFuture(long id) {
      calls++;
      return CompletableFuture.completedFuture("x");
    }
  }

  final Broken broken = new Broken();

  @Test
  void keyNamingNoParameter_failsNamingMethodAndParameters() {
    assertThatThrownBy(() -> broken.unknownParameter(1))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining("Broken.unknownParameter(long)")
        .hasMessageContaining("key = \"userId\"")
        .hasMessageContaining("[id]");
    assertThat(broken.calls).isZero();
  }

  @Test
  void unresolvableDottedPath_failsNamingTheProperty() {
    assertThatThrownBy(() -> broken.unresolvablePath(new User(1, "a")))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining("Broken.unresolvablePath(User)")
        .hasMessageContaining("'nickname'");
  }

  @Test
  void nonPositiveTtl_fails() {
    assertThatThrownBy(() -> broken.zeroTtl(1))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining("ttlSeconds = 0")
        .hasMessageContaining("Broken.zeroTtl(long)");
  }

  @Test
  void localTtlRefreshOrStaleOutOfBounds_failsAtTheFirstCall() {
    assertThatThrownBy(() -> broken.localTtlAboveTtl(1))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining(
            "@ReadThrough(localTtlSeconds = 600, ttlSeconds = 300) on"
                + " Broken.localTtlAboveTtl(long): localTtlSeconds must be at most ttlSeconds");
    assertThatThrownBy(() -> broken.refreshAtTtl(1))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining(
            "@ReadThrough(refreshAfterSeconds = 300, ttlSeconds = 300) on"
                + " Broken.refreshAtTtl(long): refreshAfterSeconds must be below ttlSeconds");
    assertThatThrownBy(() -> broken.negativeStale(1))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining(
            "@ReadThrough(staleIfErrorSeconds = -1) on Broken.negativeStale(long):"
                + " staleIfErrorSeconds must not be negative");
    assertThat(broken.calls).isZero();
  }

  @Test
  void voidMethod_fails() {
    assertThatThrownBy(() -> broken.voidMethod(1)).hasMessageContaining("void");
    assertThatThrownBy(() -> broken.voidWrite(1))
        .hasMessageContaining("@WriteThrough")
        .hasMessageContaining("void");
  }

  @Test
  void keyTypeWithoutStableText_fails() {
    assertThatThrownBy(() -> broken.unstableKeyType(Thread.currentThread()))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining("java.lang.Thread")
        .hasMessageContaining("'thread'");
    assertThatThrownBy(() -> broken.optionalKey(Optional.of("a"))).hasMessageContaining("Optional");
  }

  @Test
  void cacheNameWithSeparator_fails() {
    assertThatThrownBy(() -> broken.cacheNameWithSeparator(1))
        .hasMessageContaining("cache = \"a:b\"");
  }

  @Test
  void conflictingAnnotations_fail() {
    assertThatThrownBy(() -> broken.readAndInvalidate(1))
        .hasMessageContaining("@ReadThrough and @Invalidate");
    assertThatThrownBy(() -> broken.keyAndAllEntries(1)).hasMessageContaining("allEntries");
  }

  @Test
  void everyProblemOfAMethod_isReportedTogether() {
    assertThatThrownBy(() -> broken.severalProblems(1))
        .isInstanceOfSatisfying(
            CacheDeclarationException.class, e -> assertThat(e.problems()).hasSize(2))
        .hasMessageContaining("ttlSeconds = -5")
        .hasMessageContaining("key = \"missing\"");
  }

  @Test
  void keyParameterDeclaredObjectOrNumber_failsAtTheFirstCall_evenWithAPlainValue() {
    assertThatThrownBy(() -> broken.objectKey("plain"))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining("@ReadThrough(key = \"id\") on Broken.objectKey(Object)")
        .hasMessageContaining(
            "key part 'id' has type java.lang.Object, which can hold values of"
                + " different kinds with the same text");
    assertThatThrownBy(() -> broken.numberKey(1))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining("key part 'id' has type java.lang.Number");
    assertThat(broken.calls).isZero();
  }

  @Test
  void keyParameterDeclaredCollection_failsSayingToDeclareAListOrASet() {
    assertThatThrownBy(() -> broken.collectionKey(List.of(1L)))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining("key part 'ids' has type java.util.Collection<java.lang.Long>")
        .hasMessageContaining("declare List<E> or Set<E>");
  }

  @Test
  void ttlAboveIntegerMaxValue_fails() {
    assertThatThrownBy(() -> broken.hugeTtl(1))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining("ttlSeconds = 3000000000")
        .hasMessageContaining("at most 2147483647");
  }

  @Test
  void bulkReadThroughNotReturningAMap_fails() {
    assertThatThrownBy(() -> broken.bulkNotReturningAMap(List.of(1L)))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining("@ReadThrough(each = \"ids\") on Broken.bulkNotReturningAMap(List)")
        .hasMessageContaining("Map<java.lang.Long, V>");
  }

  @Test
  void asyncReadThroughOfVoidOrAPlainFuture_fails() {
    assertThatThrownBy(() -> broken.futureOfVoid(1))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining("completes with nothing to cache");
    assertThatThrownBy(() -> broken.plainFuture(1))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining("return CompletableFuture or CompletionStage");
  }

  @Test
  void validate_reportsEveryBrokenMethodOfAClassAtOnce() {
    assertThatThrownBy(() -> redis.engine.validate(Broken.class))
        .isInstanceOfSatisfying(
            CacheDeclarationException.class,
            e -> assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(21));
  }

  @Test
  void validate_acceptsCorrectDeclarations() {
    redis.engine.validate(Fixtures.Service.class, Fixtures.Values.class);
  }
}
