/**
 * Spring Boot auto-configuration for Readthrough: {@link
 * dev.readthrough.spring.ReadThroughAutoConfiguration} starts one engine from the {@code
 * readthrough.*} properties ({@link dev.readthrough.spring.ReadThroughProperties}) and closes it
 * with the context; {@link dev.readthrough.spring.ReadThroughHealthAutoConfiguration} adds the
 * {@code readthrough} health indicator when Actuator's health support is present. {@link
 * dev.readthrough.spring.ReadThroughConfigCustomizer} beans set what the properties do not cover.
 */
@NullMarked
package dev.readthrough.spring;

import org.jspecify.annotations.NullMarked;
