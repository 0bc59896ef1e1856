package dev.readthrough.bench;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.util.ArrayList;

/** The floor's codec: plain pooled Kryo 5 with registration, no header, no checks. */
public final class FloorKryo {

  private final Pool<Kryo> kryos =
      new Pool<>(true, false, 64) {
        @Override
        protected Kryo create() {
          Kryo kryo = new Kryo();
          kryo.setRegistrationRequired(true);
          kryo.setReferences(false);
          kryo.register(Item.class);
          kryo.register(ArrayList.class);
          return kryo;
        }
      };

  private final Pool<Input> inputs =
      new Pool<>(true, false, 64) {
        @Override
        protected Input create() {
          return new Input();
        }
      };

  public byte[] encode(Object value) {
    Kryo kryo = kryos.obtain();
    try {
      Output output = new Output(256, -1);
      kryo.writeClassAndObject(output, value);
      return output.toBytes();
    } finally {
      kryos.free(kryo);
    }
  }

  public Object decode(byte[] bytes) {
    Kryo kryo = kryos.obtain();
    Input input = inputs.obtain();
    try {
      input.setBuffer(bytes);
      return kryo.readClassAndObject(input);
    } finally {
      input.setBuffer(EMPTY);
      inputs.free(input);
      kryos.free(kryo);
    }
  }

  private static final byte[] EMPTY = new byte[0];
}
