package dev.readthrough;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * After the method returns normally, removes the entry its arguments name from a cache, or every
 * entry of that cache when {@link #allEntries()} is set.
 */
@Documented
@Target(METHOD)
@Retention(RUNTIME)
public @interface Invalidate {

  /** The cache to remove entries from. */
  String cache();

  /** The parameters that form the key, by name or dotted path; empty means every parameter. */
  String[] key() default {};

  /** Whether to remove every entry of the cache instead of the one the arguments name. */
  boolean allEntries() default false;

  /**
   * Removes one entry per element: the parameter of this name, a {@code Collection}, {@code List},
   * {@code Set} or array, holds the elements, each the last key part after those {@link #key()}
   * names. Empty means the one entry the arguments name.
   */
  String each() default "";
}
