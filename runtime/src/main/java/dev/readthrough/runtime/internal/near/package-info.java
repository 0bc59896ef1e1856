/**
 * The near tier: a bounded copy of entries in the JVM, per cache, kept coherent by Redis's own
 * client-side caching. Internal: not part of Readthrough's contract; it may change in any release.
 */
@NullMarked
package dev.readthrough.runtime.internal.near;

import org.jspecify.annotations.NullMarked;
