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
   * How long, in seconds, this JVM keeps a local copy of an entry it reads or loads, never past the
   * entry's remaining TTL in Redis; not negative and at most {@link #ttlSeconds()}, and zero, the
   * default, keeps none. A local hit makes no Redis call, and a copy is dropped when its key
   * changes in Redis.
   */
  long localTtlSeconds() default 0;

  /**
   * The age, in seconds, after which a hit returns the entry at once and starts one background
   * reload of its key (one per key, across JVMs), which stores the new value with a fresh TTL; not
   * negative and below {@link #ttlSeconds()}, and zero, the default, never reloads ahead. A failed
   * reload leaves the entry until its TTL and is never thrown to anyone.
   */
  long refreshAfterSeconds() default 0;

  /**
   * How long, in seconds, an entry is kept in Redis past {@link #ttlSeconds()} to stand in for a
   * failing method; not negative, and zero, the default, keeps none. A call after {@code
   * ttlSeconds} is a miss and runs the method; if the method throws an {@link Exception} (never for
   * an {@link Error}), the stale value is returned instead, and with no stale entry the exception
   * propagates unchanged.
   */
  long staleIfErrorSeconds() default 0;
}
