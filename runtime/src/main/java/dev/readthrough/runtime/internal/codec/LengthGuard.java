package dev.readthrough.runtime.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Wraps a Kryo serializer whose encoding starts with a variable-length element count (arrays,
 * collections, maps) and rejects a count larger than the bytes left before the wrapped serializer
 * allocates room for it.
 */
public final class LengthGuard<T> extends Serializer<T> {

  private final Serializer<T> delegate;

  public LengthGuard(Serializer<T> delegate) {
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
    if (declared < 0) {
      throw new KryoException("negative element count " + declared);
    }
    // counts are written as n + 1, 0 meaning null; the count itself is the byte just read
    ((BoundedInput) input).claim(Math.max(0, declared - 1L));
    input.setPosition(start);
    return delegate.read(kryo, input, type);
  }

  @Override
  public T copy(Kryo kryo, T original) {
    return delegate.copy(kryo, original);
  }
}
