/**
 * A JUnit 5 extension for testing cached services against a real Redis: {@link
 * dev.readthrough.testing.junit.ReadThroughTest} on a test class starts an engine with a key prefix
 * of the class's own, {@link dev.readthrough.testing.junit.TestCaches} tells what each test's calls
 * did, and {@link dev.readthrough.testing.junit.CacheStatsAssert} asserts on a cache's counters.
 */
@NullMarked
package dev.readthrough.testing.junit;

import org.jspecify.annotations.NullMarked;
