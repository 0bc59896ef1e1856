/**
 * Entry points into the engine's internals for Readthrough's own benchmarks and tests, which live
 * in other modules. Nothing here is part of Readthrough's contract: it may change or go in any
 * release, and applications should not use it.
 */
@NullMarked
package dev.readthrough.runtime.internal;

import org.jspecify.annotations.NullMarked;
