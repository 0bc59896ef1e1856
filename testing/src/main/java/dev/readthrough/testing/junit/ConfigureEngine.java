package dev.readthrough.testing.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method of a {@link ReadThroughTest} class that changes the engine's settings
 * before it starts: {@code static void engine(ReadThroughConfig.Builder config)}.
 *
 * <p>The builder comes with the shared test Redis, the class's key prefix and an operation timeout
 * of two seconds; a method may change any of them. Methods of superclasses run first.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ConfigureEngine {}
