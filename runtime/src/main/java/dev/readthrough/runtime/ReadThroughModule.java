package dev.readthrough.runtime;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import java.util.Objects;

/**
 * Binds a singleton {@link ReadThroughEngine}, started eagerly with the injector so that woven
 * methods are cached from the first call. Close the engine (or the injector's owner) on shutdown.
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

  /** Starts the engine once, when Guice asks for it. */
  @Singleton
  static final class EngineProvider implements com.google.inject.Provider<ReadThroughEngine> {
    private final ReadThroughConfig config;

    @com.google.inject.Inject
    EngineProvider(ReadThroughConfig config) {
      this.config = config;
    }

    @Override
    public ReadThroughEngine get() {
      return ReadThroughEngine.start(config);
    }
  }
}
