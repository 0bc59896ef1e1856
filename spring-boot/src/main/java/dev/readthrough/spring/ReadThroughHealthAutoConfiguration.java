package dev.readthrough.spring;

import dev.readthrough.runtime.ReadThroughEngine;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code readthrough} health indicator when Actuator's health support is on the class path
 * and an engine runs; {@code management.health.readthrough.enabled=false} leaves it out.
 */
@AutoConfiguration(after = ReadThroughAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ReadThroughEngine.class)
@ConditionalOnEnabledHealthIndicator("readthrough")
public final class ReadThroughHealthAutoConfiguration {

  /** The indicator, named so that its contributor is {@code readthrough}. */
  @Bean
  @ConditionalOnMissingBean(name = "readthroughHealthIndicator")
  HealthIndicator readthroughHealthIndicator(ReadThroughEngine engine) {
    return new ReadThroughHealthIndicator(engine);
  }
}
