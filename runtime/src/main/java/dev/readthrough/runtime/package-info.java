/**
 * The Readthrough engine: {@link dev.readthrough.runtime.ReadThroughConfig}, {@link
 * dev.readthrough.runtime.ReadThroughEngine} and the Guice {@link
 * dev.readthrough.runtime.ReadThroughModule}. Everything else in this package is internal.
 */
@NullMarked
package dev.readthrough.runtime;

import org.jspecify.annotations.NullMarked;
