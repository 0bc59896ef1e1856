/**
 * Single-flight: the loads under way in this JVM by key, the protocol that orders them against
 * invalidations, and the read tickets that keep a finished load findable for reads sent before it
 * finished. Internal: not part of Readthrough's contract; it may change in any release.
 */
@NullMarked
package dev.readthrough.runtime.internal.flight;

import org.jspecify.annotations.NullMarked;
