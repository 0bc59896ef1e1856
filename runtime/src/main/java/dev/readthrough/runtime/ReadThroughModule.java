package dev.readthrough.runtime;

import com.google.inject.AbstractModule;
import com.google.inject.Binding;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import com.google.inject.spi.ConstructorBinding;
import com.google.inject.spi.InstanceBinding;
import com.google.inject.spi.LinkedKeyBinding;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Binds a singleton {@link ReadThroughEngine}, started eagerly with the injector so that woven
 * methods are cached from the first call. Close the engine (or the injector's owner) on shutdown.
 *
 * <p>If the configuration names no meter registry and the injector binds a Micrometer {@code
 * MeterRegistry}, the engine registers its meters there.
 *
 * <p>When the engine starts, the classes bound in the injector are checked for cached methods that
 * the build did not weave; each such class gets one error in the log.
 */
public final class ReadThroughModule extends AbstractModule {

  private final ReadThroughConfig config;

  /** Creates the module for this configuration. */
  public ReadThroughModule(ReadThroughConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  protected void configure() {
    bind(ReadThroughConfig.class).toInstance(config);
    bind(ReadThroughEngine.class).toProvider(EngineProvider.class).asEagerSingleton();
  }

  /** Starts the engine once, when Guice asks for it, and checks the injector's classes. */
  @Singleton
  static final class EngineProvider implements Provider<ReadThroughEngine> {
    private final ReadThroughConfig config;
    private final Injector injector;

    @Inject
    EngineProvider(ReadThroughConfig config, Injector injector) {
      this.config = config;
      this.injector = injector;
    }

    @Override
    public ReadThroughEngine get() {
      Object registry = config.meterRegistry();
      if (registry == null && micrometerPresent()) {
        registry = MeterRegistryBinding.find(injector);
      }
      ReadThroughEngine engine = ReadThroughEngine.start(config, registry);
      engine.reportUnwoven(boundClasses(injector));
      return engine;
    }
  }

  /** Whether Micrometer is on the class path: only then is {@link MeterRegistryBinding} loaded. */
  private static boolean micrometerPresent() {
    try {
      Class.forName(
          "io.micrometer.core.instrument.MeterRegistry",
          false,
          ReadThroughModule.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * The classes an injector's explicit bindings name: each key's type, the class a key is linked to
   * or constructed as, and the class of each bound instance. Guice's and the JDK's own types are
   * left out.
   */
  static Set<Class<?>> boundClasses(Injector injector) {
    Set<Class<?>> classes = new LinkedHashSet<>();
    for (Binding<?> binding : injector.getAllBindings().values()) {
      add(classes, binding.getKey().getTypeLiteral().getRawType());
      if (binding instanceof ConstructorBinding<?> constructed) {
        add(classes, constructed.getConstructor().getDeclaringType().getRawType());
      } else if (binding instanceof LinkedKeyBinding<?> linked) {
        add(classes, linked.getLinkedKey().getTypeLiteral().getRawType());
      } else if (binding instanceof InstanceBinding<?> instance) {
        add(classes, instance.getInstance().getClass());
      }
    }
    return classes;
  }

  private static void add(Set<Class<?>> classes, Class<?> type) {
    String name = type.getName();
    if (!name.startsWith("java.") && !name.startsWith("com.google.inject.")) {
      classes.add(type);
    }
  }
}
