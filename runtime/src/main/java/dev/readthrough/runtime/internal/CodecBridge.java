package dev.readthrough.runtime.internal;

import dev.readthrough.runtime.ReadThroughConfig;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * The one way from this package into the engine's package-private codec: a method handle on the
 * static factory of {@code dev.readthrough.runtime.InternalEntryCodec}. Both packages are in one
 * artifact, so the private lookup needs no {@code --add-opens}; the engine's package keeps no
 * public type for it. {@code InternalEntryCodecTest} proves the names below still match.
 */
final class CodecBridge {

  private static final String FACTORY_CLASS =
      "dev.readthrough.runtime.internal.codec.InternalEntryCodec";
  private static final MethodHandle FOR_METHOD = findFactory();

  private CodecBridge() {}

  static EntryCodec forMethod(Method method, ReadThroughConfig config) {
    try {
      return (EntryCodec) FOR_METHOD.invokeExact(method, config);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("unexpected checked exception from " + FACTORY_CLASS, t);
    }
  }

  private static MethodHandle findFactory() {
    try {
      Class<?> factory = Class.forName(FACTORY_CLASS, true, CodecBridge.class.getClassLoader());
      return MethodHandles.privateLookupIn(factory, MethodHandles.lookup())
          .findStatic(
              factory,
              "forMethod",
              MethodType.methodType(EntryCodec.class, Method.class, ReadThroughConfig.class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "the runtime artifact lacks " + FACTORY_CLASS + ".forMethod", e);
    }
  }
}
