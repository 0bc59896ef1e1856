package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.readthrough.runtime.Fixtures.Account;
import dev.readthrough.runtime.Fixtures.Address;
import dev.readthrough.runtime.Fixtures.Customer;
import dev.readthrough.runtime.Fixtures.Service;
import dev.readthrough.runtime.Fixtures.Tier;
import dev.readthrough.runtime.Fixtures.User;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadThroughTest extends EngineTest {

  Service service;

  @BeforeEach
  void newService() {
    service = new Service();
  }

  @Test
  void missThenHit_runsMethodOnceAndDecodesFromRedis() {
    CacheStats before = redis.engine.stats("users");
    User first = service.find(42);
    awaitStored("rt:users:42");
    User second = service.find(42);

    assertThat(second).isEqualTo(new User(42, "user-42")).isNotSameAs(first);
    assertThat(service.calls).hasValue(1);
    CacheStats after = redis.engine.stats("users");
    assertThat(after.misses() - before.misses()).isEqualTo(1);
    assertThat(after.hits() - before.hits()).isEqualTo(1);
  }

  @Test
  void secondCallRightAfterAMiss_onTheSameThread_doesNotRunTheMethodAgain() {
    // no waiting for the store: the second call may arrive while it is still under way
    for (long id = 1000; id < 1050; id++) {
      assertThat(service.find(id)).isEqualTo(service.find(id));
    }
    assertThat(service.calls).hasValue(50);
  }

  @Test
  void compositeKey_isExactlyPrefixCacheAndParts() {
    service.universities("DE", 2);

    awaitStored("rt:universities:DE:2");
    assertThat(redis.engine.keyFor(method("universities", String.class, int.class), "DE", 2))
        .isEqualTo("rt:universities:DE:2");
  }

  @Test
  void differentArguments_areDifferentEntries() {
    service.find(1);
    service.find(2);
    awaitStored("rt:users:1");
    awaitStored("rt:users:2");

    assertThat(service.find(1).name()).isEqualTo("user-1");
    assertThat(service.find(2).name()).isEqualTo("user-2");
    assertThat(service.calls).hasValue(2);
  }

  @Test
  void colonInsideAPart_isEscapedSoTuplesNeverShareAKey() {
    assertThat(service.pair("a:b", "c")).isEqualTo("a:b|c");
    assertThat(service.pair("a", "b:c")).isEqualTo("a|b:c");

    awaitStored("rt:pairs:a\\:b:c");
    awaitStored("rt:pairs:a:b\\:c");
    assertThat(service.pair("a:b", "c")).isEqualTo("a:b|c");
    assertThat(service.pair("a", "b:c")).isEqualTo("a|b:c");
    assertThat(service.calls).hasValue(2);
  }

  @Test
  void backslashInsideAPart_isEscaped() {
    service.pair("a\\", "b");
    awaitStored("rt:pairs:a\\\\:b");
  }

  @Test
  void emptyKey_usesEveryParameterInOrder() {
    service.allParameters("x", 3, Tier.PRO);
    awaitStored("rt:all:x:3:PRO");
  }

  @Test
  void dottedPath_readsRecordAccessor() {
    service.byRecordAccessor(new User(5, "eve"));
    awaitStored("rt:byRecordAccessor:5");
    assertThat(service.byRecordAccessor(new User(5, "someone else"))).isEqualTo("hello eve");
    assertThat(service.calls).hasValue(1);
  }

  @Test
  void dottedPath_readsGetter() {
    service.byGetter(new Account("acc-9", 1, "eu"));
    awaitStored("rt:byGetter:acc-9");
  }

  @Test
  void dottedPath_readsFieldAndBooleanIsGetter() {
    service.byFieldAndBooleanGetter(new Account("acc-9", 5000, "eu"));
    awaitStored("rt:byField:eu:true");
  }

  @Test
  void dottedPath_walksNestedProperties() {
    service.byNestedPath(new Customer(new User(1, "a"), new Address("Köln", "50667")));
    awaitStored("rt:nested:Köln");
  }

  @Test
  void entry_carriesTheAnnotationsTtl() {
    service.find(7);
    awaitStored("rt:users:7");
    assertThat(redis.pttl("rt:users:7")).isBetween(1L, 300_000L);
  }

  @Test
  void afterTtl_methodRunsAgain() {
    assertThat(service.shortLived("t")).isEqualTo("v1");
    awaitStored("rt:short:t");
    await().atMost(Duration.ofSeconds(10)).until(() -> !redis.exists("rt:short:t"));

    assertThat(service.shortLived("t")).isEqualTo("v2");
    assertThat(service.calls).hasValue(2);
  }

  @Test
  void nullResult_isNotCachedByDefault() {
    assertThat(service.nullNotCached("n")).isNull();
    assertThat(service.nullNotCached("n")).isNull();

    assertThat(service.calls).hasValue(2);
    assertThat(redis.exists("rt:nullable:n")).isFalse();
  }

  @Test
  void nullResult_isCachedWithCacheNulls() {
    assertThat(service.nullCached("n")).isNull();
    awaitStored("rt:nullCached:n");
    assertThat(service.nullCached("n")).isNull();

    assertThat(service.calls).hasValue(1);
  }

  @Test
  void optionalWithValue_isCachedAndRewrapped() {
    Optional<User> first = service.optional(3);
    awaitStored("rt:optional:3");
    Optional<User> second = service.optional(3);

    assertThat(second).contains(new User(3, "o3"));
    assertThat(second.get()).isNotSameAs(first.get());
    assertThat(service.calls).hasValue(1);
  }

  @Test
  void emptyOptional_isNotCachedByDefault() {
    assertThat(service.optional(-1)).isEmpty();
    assertThat(service.optional(-1)).isEmpty();
    assertThat(service.calls).hasValue(2);
  }

  @Test
  void emptyOptional_isCachedWithCacheNulls() {
    assertThat(service.optionalEmptyCached(1)).isEmpty();
    awaitStored("rt:optionalCached:1");
    assertThat(service.optionalEmptyCached(1)).isEmpty();
    assertThat(service.calls).hasValue(1);
  }

  @Test
  void methodException_propagatesAsTheSameInstanceAndNothingIsStored() {
    Throwable first = catchFrom(() -> service.failing("x"));
    Throwable second = catchFrom(() -> service.failing("x"));

    assertThat(first).isInstanceOf(IOException.class).hasMessage("upstream down for x");
    assertThat(second).isNotSameAs(first); // the method ran again: nothing was cached
    assertThat(service.calls).hasValue(2);
    assertThat(redis.exists("rt:failing:x")).isFalse();
  }

  @Test
  void callsThroughThis_toPrivateAndPublicMethods_areCached() {
    assertThat(service.throughThis("1")).isEqualTo("p1/q1");
    awaitStored("rt:private:1");
    awaitStored("rt:public:1");
    assertThat(service.throughThis("1")).isEqualTo("p1/q1");
    assertThat(service.calls).hasValue(2);
  }

  @Test
  void staticMethod_isCached() {
    int before = Service.staticCalls.get();
    Service.staticCached("s");
    awaitStored("rt:static:s");
    assertThat(Service.staticCached("s")).isEqualTo("ss");
    assertThat(Service.staticCalls.get() - before).isEqualTo(1);
  }

  @Test
  void defaultCacheName_isDerivedFromClassAndMethod_andDiffersPerMethod() {
    assertThat(service.defaultCache("k")).isEqualTo("d1k");
    assertThat(service.defaultCacheOther("k")).isEqualTo("d2k");
    awaitStored("rt:dev.readthrough.runtime.Fixtures$Service.defaultCache:k");
    awaitStored("rt:dev.readthrough.runtime.Fixtures$Service.defaultCacheOther:k");

    assertThat(service.defaultCache("k")).isEqualTo("d1k");
    assertThat(service.defaultCacheOther("k")).isEqualTo("d2k");
    assertThat(service.calls).hasValue(2);
  }

  @Test
  void keyFor_rejectsArgumentsOfAnUnknownMethod() {
    assertThatThrownBy(() -> redis.engine.keyFor(Object.class.getMethod("toString")))
        .isInstanceOf(CacheDeclarationException.class)
        .hasMessageContaining("Object.toString()");
  }

  static java.lang.reflect.Method method(String name, Class<?>... types) {
    try {
      return Service.class.getDeclaredMethod(name, types);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  interface ThrowingCall {
    void run() throws Throwable;
  }

  static Throwable catchFrom(ThrowingCall call) {
    try {
      call.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected an exception");
  }
}
