package dev.readthrough.runtime.internal.codec;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.internal.EntryCodec;
import dev.readthrough.runtime.internal.call.Plans;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * One method's {@link ValueCodec} behind the {@link EntryCodec} that {@code
 * dev.readthrough.runtime.internal} opens to benchmarks and tests in other modules, so that they
 * need no class in this package. Found by name from there: keep the name and {@link #forMethod}.
 */
public final class InternalEntryCodec implements EntryCodec {

  private final ValueCodec codec;

  private InternalEntryCodec(ValueCodec codec) {
    this.codec = codec;
  }

  /** See {@link EntryCodec#forMethod}. */
  public static EntryCodec forMethod(Method method, ReadThroughConfig config) {
    try {
      return new InternalEntryCodec(ValueCodec.forMethod(method, config));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot build the codec of " + Plans.describe(method) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] encode(@Nullable Object value) {
    try {
      return codec.encode(value);
    } catch (CodecException | TooLargeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public @Nullable Object decode(byte[] bytes) {
    try {
      return codec.decode(bytes);
    } catch (CodecException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public byte[] encode(@Nullable Object value, long writtenAt, long freshUntil) {
    try {
      return codec.encode(value, writtenAt, freshUntil);
    } catch (CodecException | TooLargeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public long writtenAt(byte[] bytes) {
    return codec.writtenAt(bytes);
  }

  @Override
  public long freshUntil(byte[] bytes) {
    return codec.freshUntil(bytes);
  }
}
