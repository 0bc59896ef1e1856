package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.internal.codec.SlotPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlotPoolTest {

  @Test
  void moreObjectsGivenBackThanSlots_poolKeepsOnlyItsCapacity() {
    AtomicInteger made = new AtomicInteger();
    SlotPool<Object> pool = new SlotPool<>(8, () -> "object-" + made.incrementAndGet());
    List<Object> taken = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      taken.add(pool.obtain());
    }
    taken.forEach(pool::free);

    assertThat(made).hasValue(100);
    assertThat(pool.capacity()).isEqualTo(8);
    assertThat(pool.idle()).hasSize(8).isSubsetOf(taken);
  }

  @Test
  void objectGivenBack_isTheOneObtainedNext() {
    SlotPool<Object> pool = new SlotPool<>(4, Object::new);
    Object first = pool.obtain();
    pool.free(first);

    assertThat(pool.obtain()).isSameAs(first);
    assertThat(pool.idle()).isEmpty();
  }

  @Test
  void size_isRoundedUpToAPowerOfTwo() {
    assertThat(new SlotPool<>(5, Object::new).capacity()).isEqualTo(8);
    assertThat(new SlotPool<>(8, Object::new).capacity()).isEqualTo(8);
    assertThat(new SlotPool<>(1, Object::new).capacity()).isEqualTo(1);
  }

  @Test
  void sizeFor_isTwoPerProcessor_withinItsBounds() {
    assertThat(SlotPool.sizeFor(1)).isEqualTo(SlotPool.MIN_SLOTS);
    assertThat(SlotPool.sizeFor(2)).isEqualTo(SlotPool.MIN_SLOTS);
    assertThat(SlotPool.sizeFor(12)).isEqualTo(24);
    assertThat(SlotPool.sizeFor(256)).isEqualTo(SlotPool.MAX_SLOTS);
  }
}
