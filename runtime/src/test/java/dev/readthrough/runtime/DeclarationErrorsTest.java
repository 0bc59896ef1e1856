package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.runtime.Fixtures.User;
import java.util.Optional;
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

    @ReadThrough(key = {"id", "missing"}, ttlSeconds = -5, cache = "broken")
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
  void voidMethod_fails() {
    assertThatThrownBy(() -> broken.voidMethod(1)).hasMessageContaining("void");
    assertThatThrownBy(() -> broken.voidWrite(1)).hasMessageContaining("@WriteThrough").hasMessageContaining("void");
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
    assertThatThrownBy(() -> broken.cacheNameWithSeparator(1)).hasMessageContaining("cache = \"a:b\"");
  }

  @Test
  void conflictingAnnotations_fail() {
    assertThatThrownBy(() -> broken.readAndInvalidate(1)).hasMessageContaining("@ReadThrough and @Invalidate");
    assertThatThrownBy(() -> broken.keyAndAllEntries(1)).hasMessageContaining("allEntries");
  }

  @Test
  void everyProblemOfAMethod_isReportedTogether() {
    assertThatThrownBy(() -> broken.severalProblems(1))
        .isInstanceOfSatisfying(CacheDeclarationException.class, e -> assertThat(e.problems()).hasSize(2))
        .hasMessageContaining("ttlSeconds = -5")
        .hasMessageContaining("key = \"missing\"");
  }

  @Test
  void objectParameterWithoutStableText_failsAtTheCall() {
    assertThat(broken.objectKey("plain")).isEqualTo("x");
    assertThatThrownBy(() -> broken.objectKey(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Broken.objectKey(Object)")
        .hasMessageContaining("'id'")
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void validate_reportsEveryBrokenMethodOfAClassAtOnce() {
    assertThatThrownBy(() -> redis.engine.validate(Broken.class))
        .isInstanceOfSatisfying(CacheDeclarationException.class,
            e -> assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(12));
  }

  @Test
  void validate_acceptsCorrectDeclarations() {
    redis.engine.validate(Fixtures.Service.class, Fixtures.Values.class);
  }
}
