package dev.readthrough;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Caches the method's result in Redis: a hit returns the stored value, a miss runs the method and
 * stores what it returns for {@link #ttlSeconds()}.
 *
 * <p>The Redis key is {@code <keyPrefix>:<cache>:<part>[:<part>...]}, one part per entry of {@link
 * #key()}. An exception thrown by the method propagates unchanged and nothing is stored.
 */
@Documented
@Target(METHOD)
@Retention(RUNTIME)
public @interface ReadThrough {

  /**
   * The parameters that form the key, by name, optionally followed by a dotted path into the
   * argument ({@code "user.id"}); empty means every parameter, in declaration order.
   */
  String[] key() default {};

  /** How long a stored result lives, in seconds; must be positive. */
  long ttlSeconds();

  /**
   * The cache name, the middle part of the key; empty derives one from the declaring class and the
   * method so that two methods never share entries by accident.
   */
  String cache() default "";

  /**
   * Whether a {@code null} or {@code Optional.empty()} result is cached too; with {@link #each()},
   * whether an element the method leaves out of its map is cached as absent.
   */
  boolean cacheNulls() default false;

  /**
   * Makes a bulk read-through: the parameter of this name, a {@code Collection}, {@code List},
   * {@code Set} or array, holds elements that are each their own entry, keyed as a single-element
   * method of the same cache keys it ({@link #key()} then names only the other parameters, and the
   * element is the last key part). The method returns a {@code Map} from element to value, and is
   * called at most once per call, with only the elements that missed. Empty means a single-entry
   * method.
   */
  String each() default "";

  /**
   * How long, in seconds, this JVM keeps a local copy of each entry it reads (never past the
   * entry's remaining TTL in Redis), kept coherent by Redis's client-side caching; at most {@link
   * #ttlSeconds()}. Zero, the default, keeps none.
   */
  long localTtlSeconds() default 0;
}
