package dev.readthrough.runtime.internal.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A bounded pool of reusable objects that allocates nothing to obtain or return one: a fixed array
 * of slots, each taken and given back with one compare-and-set, starting at a slot chosen by the
 * calling thread so that threads rarely meet. When every slot is empty a new object is made; when
 * every slot is full a returned object is dropped. So the pool never keeps more than {@link
 * #capacity()} objects, however many threads use it at once.
 */
public final class SlotPool<T> {

  /**
   * The fewest slots a pool sized by {@link #sizeFor(int)} has: on a small machine many more
   * threads than processors decode at once (each descheduled mid-decode holds its slot), and a call
   * that finds the pool empty builds a whole Kryo instance.
   */
  public static final int MIN_SLOTS = 16;

  /** The most slots a pool sized by {@link #sizeFor(int)} has. */
  public static final int MAX_SLOTS = 64;

  private final AtomicReferenceArray<T> slots;
  private final int mask;
  private final Supplier<T> factory;

  /** Creates a pool of {@code size} slots, rounded up to a power of two. */
  public SlotPool(int size, Supplier<T> factory) {
    int capacity = size <= 1 ? 1 : Integer.highestOneBit(size - 1) << 1;
    this.slots = new AtomicReferenceArray<>(capacity);
    this.mask = capacity - 1;
    this.factory = factory;
  }

  /**
   * The number of slots for a pool shared by every thread of a JVM with {@code processors}
   * processors: two per processor, so that a thread descheduled while holding an object rarely
   * leaves the running ones without, and never fewer than {@link #MIN_SLOTS} nor more than {@link
   * #MAX_SLOTS}.
   */
  public static int sizeFor(int processors) {
    return Math.max(MIN_SLOTS, Math.min(MAX_SLOTS, 2 * processors));
  }

  /** How many objects this pool keeps at most. */
  public int capacity() {
    return mask + 1;
  }

  /** Takes a kept object, or makes a new one when none is kept. */
  public T obtain() {
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
  public void free(T item) {
    int start = System.identityHashCode(Thread.currentThread());
    for (int i = 0; i <= mask; i++) {
      int index = (start + i) & mask;
      if (slots.get(index) == null && slots.compareAndSet(index, null, item)) {
        return;
      }
    }
  }

  /** The objects kept now, for tests of what the pool retains. */
  public List<T> idle() {
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
