package dev.readthrough.runtime;

import com.google.inject.Binding;
import com.google.inject.Injector;
import com.google.inject.Key;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Looks up the {@code MeterRegistry} an injector binds: the one class of the module that names
 * Micrometer, used only once Micrometer is known to be on the class path.
 */
final class MeterRegistryBinding {

  private MeterRegistryBinding() {}

  /**
   * The registry bound to {@code MeterRegistry} itself; else the one binding, without a binding
   * annotation, of a subtype of it (a {@code PrometheusMeterRegistry}, say); else {@code null}.
   *
   * @throws IllegalStateException if several subtypes are bound and none to {@code MeterRegistry}
   */
  static @Nullable Object find(Injector injector) {
    Binding<MeterRegistry> exact = injector.getExistingBinding(Key.get(MeterRegistry.class));
    if (exact != null) {
      return exact.getProvider().get();
    }
    List<Binding<?>> found = new ArrayList<>();
    for (Binding<?> binding : injector.getBindings().values()) {
      Key<?> key = binding.getKey();
      if (key.getAnnotationType() == null
          && MeterRegistry.class.isAssignableFrom(key.getTypeLiteral().getRawType())) {
        found.add(binding);
      }
    }
    if (found.size() > 1) {
      List<String> names = new ArrayList<>();
      found.forEach(b -> names.add(b.getKey().getTypeLiteral().toString()));
      throw new IllegalStateException(
          "ReadThroughModule: the injector binds several meter registries "
              + names
              + "; bind the one for Readthrough to MeterRegistry, or name it with"
              + " ReadThroughConfig.builder().meterRegistry(...)");
    }
    return found.isEmpty() ? null : found.get(0).getProvider().get();
  }
}
