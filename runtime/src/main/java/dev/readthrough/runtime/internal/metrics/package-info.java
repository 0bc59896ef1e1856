/**
 * The engine's Micrometer meters: the only package that names Micrometer's types, loaded only when
 * the engine is given a meter registry, so that the engine runs without Micrometer on the class
 * path.
 */
@NullMarked
package dev.readthrough.runtime.internal.metrics;

import org.jspecify.annotations.NullMarked;
