package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.rules.CacheAnnotation.Kind;
import dev.readthrough.rules.Verdict;
import dev.readthrough.runtime.Fixtures.User;
import dev.readthrough.runtime.internal.declarations.Declarations;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What the run-time check derives from a valid declaration, for the plan builder to use. */
class DeclarationsTest {

  @SuppressWarnings("unused")
  static final class Declared {
    @ReadThrough(cache = "prices", key = "currency", each = "skus", ttlSeconds = 60)
    Map<String, Long> prices(String currency, List<String> skus) {
      return Map.of();
    }

    @ReadThrough(cache = "users", each = "ids", ttlSeconds = 60)
    CompletableFuture<Map<Long, User>> users(Collection<Long> ids) {
      return null;
    }

    @ReadThrough(key = "user.id", ttlSeconds = 60, cache = "u")
    CompletableFuture<String> name(User user) {
      return null;
    }

    @Invalidate(cache = "users", each = "ids")
    void delete(String region, Set<Long> ids) {}
  }

  private static Verdict<Type> check(String name, String... parameterNames) {
    for (Method method : Declared.class.getDeclaredMethods()) {
      if (method.getName().equals(name)) {
        return Declarations.check(method, parameterNames);
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void bulkReadThrough_givesTheOtherKeyPartsTheElementAndTheValueType() {
    Verdict<Type> verdict = check("prices", "currency", "skus");

    assertThat(verdict.problems()).isEmpty();
    Verdict.Shape<Type> shape = verdict.shape(Kind.READ_THROUGH);
    assertThat(shape.key())
        .extracting(Verdict.KeyPart::name, Verdict.KeyPart::parameter)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("currency", 0));
    assertThat(shape.each())
        .isEqualTo(new Verdict.Each<Type>("skus", 1, Verdict.Container.LIST, String.class));
    assertThat(shape.cached()).isEqualTo(Long.class);
    assertThat(shape.async()).isFalse();
  }

  @Test
  void asyncBulkReadThrough_cachesTheMapsValueType() {
    Verdict.Shape<Type> shape = check("users", "ids").shape(Kind.READ_THROUGH);

    assertThat(shape.async()).isTrue();
    assertThat(shape.key()).isEmpty();
    assertThat(shape.each().container()).isEqualTo(Verdict.Container.COLLECTION);
    assertThat(shape.each().element()).isEqualTo(Long.class);
    assertThat(shape.cached()).isEqualTo(User.class);
  }

  @Test
  void dottedKeyOfAnAsyncMethod_givesThePathsMembersAndTheCompletedType()
      throws NoSuchMethodException {
    Verdict.Shape<Type> shape = check("name", "user").shape(Kind.READ_THROUGH);

    assertThat(shape.cached()).isEqualTo(String.class);
    Verdict.KeyPart<Type> part = shape.key().get(0);
    assertThat(part.type()).isEqualTo(long.class);
    assertThat(part.path())
        .singleElement()
        .satisfies(step -> assertThat(step.handle()).isEqualTo(User.class.getMethod("id")));
  }

  @Test
  void invalidateEach_keysTheOtherParametersThenTheElement() {
    Verdict.Shape<Type> shape = check("delete", "region", "ids").shape(Kind.INVALIDATE);

    assertThat(shape.key()).extracting(Verdict.KeyPart::name).containsExactly("region");
    assertThat(shape.each().element()).isEqualTo(Long.class);
    assertThat(shape.cached()).isNull();
  }
}
