package dev.readthrough;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Always runs the method, then stores its result under the key formed from its arguments, so that a
 * {@link ReadThrough} method of the same cache sees the new value.
 */
@Documented
@Target(METHOD)
@Retention(RUNTIME)
public @interface WriteThrough {

  /** The cache to write to; must name the cache of the matching {@link ReadThrough} method. */
  String cache();

  /** The parameters that form the key, by name or dotted path; empty means every parameter. */
  String[] key() default {};

  /** How long the stored result lives, in seconds; must be positive. */
  long ttlSeconds();
}
