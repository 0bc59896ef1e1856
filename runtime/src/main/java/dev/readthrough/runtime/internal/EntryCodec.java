package dev.readthrough.runtime.internal;

import dev.readthrough.runtime.ReadThroughConfig;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * The codec that turns one cached method's values into the bytes the engine stores in Redis, and
 * back: the very codec the engine builds for that method, with its allow-list, header and checks.
 * Not part of the contract (see the {@linkplain dev.readthrough.runtime.internal package}); it lets
 * benchmarks measure encoding alone and lets tests build genuine and forged entries.
 */
public interface EntryCodec {

  /**
   * Returns the codec the engine uses for the values {@code method} returns under {@code config}
   * (its allowed classes and {@code maxValueBytes}). The method need not be woven.
   *
   * @throws IllegalArgumentException if the method's value type cannot be cached
   */
  static EntryCodec forMethod(Method method, ReadThroughConfig config) {
    return CodecBridge.forMethod(method, config);
  }

  /**
   * Returns the entry the engine would store for {@code value}; {@code null} becomes the
   * cached-null stand-in.
   *
   * @throws IllegalArgumentException if the value contains a class outside the allow-list, or
   *     encodes to more than {@code maxValueBytes}
   */
  byte[] encode(@Nullable Object value);

  /**
   * Decodes an entry as the engine would on a hit; the cached-null stand-in decodes to {@code
   * null}.
   *
   * @throws IllegalArgumentException if the engine would treat the entry as a miss: corrupt,
   *     truncated, of another format, type or class shape, or naming a class outside the allow-list
   */
  @Nullable Object decode(byte[] bytes);

  /**
   * Returns the entry the engine would store for {@code value}, stamped as written at {@code
   * writtenAt} and fresh until {@code freshUntil} (epoch milliseconds): how tests build entries of
   * a given age.
   *
   * @throws IllegalArgumentException as {@link #encode(Object)}
   */
  byte[] encode(@Nullable Object value, long writtenAt, long freshUntil);

  /** An entry's write time, epoch milliseconds, or -1 if it carries no stamp. */
  long writtenAt(byte[] bytes);

  /**
   * When an entry stops being fresh, epoch milliseconds, or {@link Long#MAX_VALUE} if unstamped.
   */
  long freshUntil(byte[] bytes);
}
