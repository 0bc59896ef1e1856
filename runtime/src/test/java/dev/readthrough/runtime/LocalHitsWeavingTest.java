package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.weaver.CacheInterceptor;
import dev.readthrough.weaver.CacheInterceptors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The weaving of the local-hit advice: a {@code @ReadThrough} method of one {@code long} or {@code
 * int} parameter asks {@link CacheInterceptor#localHit} first, with the call's argument and the
 * method's join point, and goes on to {@link CacheInterceptor#intercept} only when it is not
 * answered; every other woven method goes straight to {@code intercept}. An interceptor of the
 * test's own records what each call asked; no Redis is involved.
 */
class LocalHitsWeavingTest {

  static final class Service {
    final AtomicInteger runs = new AtomicInteger();

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "weaving")
    String byLong(long id) {
      runs.incrementAndGet();
      return "ran " + id;
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "weaving")
    static int byInt(int id) {
      return -id;
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "weaving")
    String byText(String id) {
      runs.incrementAndGet();
      return "ran " + id;
    }

    @ReadThrough(
        key = {"a", "b"},
        ttlSeconds = 60,
        cache = "weaving")
    String byTwo(long a, long b) {
      runs.incrementAndGet();
      return "ran " + a + b;
    }

    static final IOException FAILURE = new IOException("upstream down");

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "weaving")
    String failing(long id) throws IOException {
      runs.incrementAndGet();
      throw FAILURE;
    }

    @Invalidate(key = "id", cache = "weaving")
    void drop(long id) {
      runs.incrementAndGet();
    }
  }

  /** Answers {@code localHit} with {@link #answer} and records every question. */
  static final class Recording implements CacheInterceptor {
    final List<String> asked = new ArrayList<>();
    final List<@Nullable Object> selves = new ArrayList<>();
    @Nullable Object answer = NO_LOCAL_HIT;
    @Nullable ProceedingJoinPoint last;

    @Override
    public @Nullable Object intercept(ProceedingJoinPoint call) throws Throwable {
      asked.add("intercept " + call.getSignature().getName() + List.of(call.getArgs()));
      selves.add(call.getThis());
      last = call;
      return call.proceed();
    }

    @Override
    public @Nullable Object localHit(JoinPoint.StaticPart method, long argument) {
      asked.add("localHit " + method.getSignature().getName() + " " + argument);
      return answer;
    }
  }

  private final Recording recording = new Recording();
  private final Service service = new Service();

  @AfterEach
  void uninstall() {
    CacheInterceptors.uninstall(recording);
  }

  @Test
  void answeredLocally_neitherInterceptsNorRunsTheMethod() {
    CacheInterceptors.install(recording);
    recording.answer = "local";

    assertThat(service.byLong(42)).isEqualTo("local");

    assertThat(recording.asked).containsExactly("localHit byLong 42");
    assertThat(service.runs).hasValue(0);
  }

  @Test
  void notAnsweredLocally_goesOnToInterceptWithTheSameArgument() {
    CacheInterceptors.install(recording);

    assertThat(service.byLong(-7)).isEqualTo("ran -7");

    assertThat(recording.asked).containsExactly("localHit byLong -7", "intercept byLong[-7]");
    assertThat(service.runs).hasValue(1);
  }

  @Test
  void anIntParameter_isAskedWidened_andAPrimitiveResultIsUnboxed() {
    CacheInterceptors.install(recording);
    recording.answer = 5;
    assertThat(Service.byInt(3)).isEqualTo(5);

    recording.answer = CacheInterceptor.NO_LOCAL_HIT;
    assertThat(Service.byInt(Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE);

    assertThat(recording.asked)
        .containsExactly(
            "localHit byInt 3",
            "localHit byInt " + Integer.MIN_VALUE,
            "intercept byInt[" + Integer.MIN_VALUE + "]");
  }

  @Test
  void otherParameters_andOtherAnnotations_goStraightToIntercept() {
    CacheInterceptors.install(recording);
    recording.answer = "local";

    assertThat(service.byText("x")).isEqualTo("ran x");
    assertThat(service.byTwo(1, 2)).isEqualTo("ran 12");
    service.drop(9);

    assertThat(recording.asked)
        .containsExactly("intercept byText[x]", "intercept byTwo[1, 2]", "intercept drop[9]");
    assertThat(service.runs).hasValue(3);
  }

  @Test
  void theHandedOnCall_namesItsInstance_proceedsAgainOnAnotherThread_andRethrowsUnchanged()
      throws Exception {
    CacheInterceptors.install(recording);

    assertThat(service.byLong(5)).isEqualTo("ran 5");
    assertThat(Service.byInt(6)).isEqualTo(-6);
    assertThat(recording.selves).containsExactly(service, null);
    assertThat(recording.last.getStaticPart().getSignature().getName()).isEqualTo("byInt");

    recording.answer = CacheInterceptor.NO_LOCAL_HIT;
    assertThat(service.byLong(7)).isEqualTo("ran 7");
    ProceedingJoinPoint later = recording.last;
    FutureTask<Object> again =
        new FutureTask<>(
            () -> {
              try {
                return later.proceed();
              } catch (Throwable t) {
                throw new AssertionError(t);
              }
            });
    new Thread(again).start();
    assertThat(again.get(10, TimeUnit.SECONDS)).isEqualTo("ran 7");
    assertThat(service.runs).hasValue(3);

    assertThatThrownBy(() -> service.failing(8)).isSameAs(Service.FAILURE);
    assertThat(service.runs).hasValue(4);
  }

  @Test
  void withNoEngine_theMethodRuns() {
    assertThat(CacheInterceptors.isInstalled()).isFalse();
    assertThat(service.byLong(1)).isEqualTo("ran 1");
    assertThat(Service.byInt(2)).isEqualTo(-2);
    assertThat(service.runs).hasValue(1);
  }
}
