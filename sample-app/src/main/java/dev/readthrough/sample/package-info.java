/**
 * A service that caches a slow upstream API with Readthrough: {@link
 * dev.readthrough.sample.UniversityService} holds the cached methods, {@link
 * dev.readthrough.sample.SampleApp} runs the demo or the HTTP server.
 */
@NullMarked
package dev.readthrough.sample;

import org.jspecify.annotations.NullMarked;
