package dev.readthrough.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A bounded pool of reusable objects that allocates nothing to obtain or return one: a fixed
 * array of slots, each taken and given back with one compare-and-set, starting at a slot chosen
 * by the calling thread so that threads rarely meet. When every slot is empty a new object is
 * made; when every slot is full a returned object is dropped.
 */
final class SlotPool<T> {

  private final AtomicReferenceArray<T> slots;
  private final int mask;
  private final Supplier<T> factory;

  SlotPool(int size, Supplier<T> factory) {
    int capacity = Integer.highestOneBit(Math.max(1, size - 1)) << 1;
    this.slots = new AtomicReferenceArray<>(capacity);
    this.mask = capacity - 1;
    this.factory = factory;
  }

  /** Takes a kept object, or makes a new one when none is kept. */
  T obtain() {
    int start = System.identityHashCode(Thread.currentThread());
    for (int i = 0; i <= mask; i++) {
      int index = (start + i) & mask;
      T item = slots.get(index);
      if (item != null && slots.compareAndSet(index, item, null)) {
        return item;
      }
    }
    return factory.get();
  }

  /** Keeps {@code item} for a later {@link #obtain()}, or drops it when every slot is full. */
  void free(T item) {
    int start = System.identityHashCode(Thread.currentThread());
    for (int i = 0; i <= mask; i++) {
      int index = (start + i) & mask;
      if (slots.get(index) == null && slots.compareAndSet(index, null, item)) {
        return;
      }
    }
  }

  /** The objects kept now, for tests of what the pool retains. */
  List<T> idle() {
    List<T> idle = new ArrayList<>();
    for (int i = 0; i <= mask; i++) {
      T item = slots.get(i);
      if (item != null) {
        idle.add(item);
      }
    }
    return idle;
  }
}
