package dev.readthrough.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Wraps a Kryo serializer whose encoding starts with a variable-length element count (arrays,
 * collections, maps) and rejects a count larger than the bytes left before the wrapped
 * serializer allocates room for it.
 */
final class LengthGuard<T> extends Serializer<T> {

  private final Serializer<T> delegate;

  LengthGuard(Serializer<T> delegate) {
    super(delegate.getAcceptsNull(), delegate.isImmutable());
    this.delegate = delegate;
  }

  @Override
  public void write(Kryo kryo, Output output, T object) {
    delegate.write(kryo, output, object);
  }

  @Override
  public T read(Kryo kryo, Input input, Class<? extends T> type) {
    int start = input.position();
    int declared = input.readVarInt(true);
    int left = input.limit() - input.position();
    input.setPosition(start);
    // counts are written as n + 1 (0 means null) or as n; either way n - 1 <= bytes left
    if (declared < 0 || declared - 1 > left) {
      throw new KryoException("declared element count " + declared + " exceeds the " + left + " bytes left");
    }
    if (input instanceof BoundedInput bounded) {
      bounded.claim(declared - 1L);
    }
    return delegate.read(kryo, input, type);
  }

  @Override
  public T copy(Kryo kryo, T original) {
    return delegate.copy(kryo, original);
  }
}
