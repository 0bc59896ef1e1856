package dev.readthrough.testing.junit;

import dev.readthrough.runtime.CacheStats;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;

/**
 * Subtracts one {@link CacheStats} from another, counter by counter: what a cache counted between
 * two snapshots.
 *
 * <p>It reads the record's components instead of naming them, so that a counter added to {@code
 * CacheStats} is subtracted too, without a change here: numbers and durations are subtracted,
 * anything else is taken from the later snapshot.
 */
final class StatsDelta {

  private static final RecordComponent[] COMPONENTS = CacheStats.class.getRecordComponents();
  private static final Constructor<CacheStats> CANONICAL = canonical();

  private StatsDelta() {}

  /** Returns {@code now} less {@code before}. */
  static CacheStats between(CacheStats before, CacheStats now) {
    Object[] values = new Object[COMPONENTS.length];
    for (int i = 0; i < COMPONENTS.length; i++) {
      Object earlier = read(COMPONENTS[i], before);
      Object later = read(COMPONENTS[i], now);
      values[i] = minus(later, earlier);
    }
    try {
      return CANONICAL.newInstance(values);
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot create a CacheStats", e);
    }
  }

  private static Object minus(Object later, Object earlier) {
    if (later instanceof Long l && earlier instanceof Long e) {
      return l - e;
    }
    if (later instanceof Integer l && earlier instanceof Integer e) {
      return l - e;
    }
    if (later instanceof Double l && earlier instanceof Double e) {
      return l - e;
    }
    if (later instanceof Duration l && earlier instanceof Duration e) {
      return l.minus(e);
    }
    return later;
  }

  private static Object read(RecordComponent component, CacheStats stats) {
    try {
      Object value = component.getAccessor().invoke(stats);
      if (value == null) {
        throw new IllegalStateException("CacheStats." + component.getName() + " is null");
      }
      return value;
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read CacheStats." + component.getName(), e);
    }
  }

  private static Constructor<CacheStats> canonical() {
    Class<?>[] types = new Class<?>[COMPONENTS.length];
    for (int i = 0; i < COMPONENTS.length; i++) {
      types[i] = COMPONENTS[i].getType();
    }
    try {
      return CacheStats.class.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("CacheStats has no canonical constructor", e);
    }
  }
}
