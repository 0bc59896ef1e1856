package dev.readthrough.spring;

import dev.readthrough.runtime.ReadThroughConfig;

/**
 * Sets what the {@code readthrough.*} properties do not cover ({@code ttlJitter}, {@code
 * distributedLock}, {@code allowClasses}, ...) on the builder of the engine's configuration.
 *
 * <p>Every bean of this type is applied, in {@code @Order}, after the properties, before the engine
 * starts. A customizer that names a Redis target replaces the one the properties name.
 */
@FunctionalInterface
public interface ReadThroughConfigCustomizer {

  /** Changes the builder; a setter that rejects its value fails the application's start. */
  void customize(ReadThroughConfig.Builder builder);
}
