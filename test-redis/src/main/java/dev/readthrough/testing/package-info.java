/** A real Redis for tests and demos: found in the environment, in Docker, or started locally. */
@NullMarked
package dev.readthrough.testing;

import org.jspecify.annotations.NullMarked;
