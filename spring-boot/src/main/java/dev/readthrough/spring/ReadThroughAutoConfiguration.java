package dev.readthrough.spring;

import dev.readthrough.runtime.ReadThroughEngine;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Starts the application's one {@link ReadThroughEngine} from the {@code readthrough.*} properties,
 * and closes it with the context.
 *
 * <p>With no connection property set, the application's {@code RedissonClient} bean is used, and
 * the engine never shuts it down. A {@code MeterRegistry} bean, if any, gets the engine's meters.
 * {@code readthrough.enabled=false} defines no engine: woven methods then run uncached.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "readthrough.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ReadThroughProperties.class)
public final class ReadThroughAutoConfiguration {

  /**
   * The engine, started eagerly even in a lazily initialised context: woven methods are cached only
   * while it runs, and nothing injects it to start it.
   */
  @Bean(destroyMethod = "close")
  @Lazy(false)
  @ConditionalOnMissingBean
  ReadThroughEngine readThroughEngine(
      ReadThroughProperties properties,
      ObjectProvider<RedissonClient> clients,
      ObjectProvider<ReadThroughConfigCustomizer> customizers) {
    return EngineFromProperties.start(properties, clients, customizers.orderedStream().toList());
  }

  /** Hands the application's {@code MeterRegistry}, if it has one, to the engine. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static final class MeterRegistryConfiguration {

    @Bean
    ReadThroughConfigCustomizer readThroughMeterRegistry(ObjectProvider<MeterRegistry> registries) {
      return builder -> registries.ifUnique(builder::meterRegistry);
    }
  }
}
