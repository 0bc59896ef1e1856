package dev.readthrough.runtime.internal.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * Resolves classes by registration id only. A class written by name is refused before its name is
 * even looked up, so bytes from Redis can never make this JVM load, initialise or construct a class
 * that is not on the method's allow-list.
 */
public final class AllowListClassResolver extends DefaultClassResolver {

  @Override
  protected Registration readName(Input input) {
    throw new KryoException("cached values may not name classes; only registered classes are read");
  }

  @Override
  protected void writeName(Output output, Class type, Registration registration) {
    throw new KryoException("class " + type.getName() + " is not on the allow-list of this cache");
  }
}
