/**
 * The codec: Kryo with registration only, the allow-list of classes it may build, the envelope and
 * its bounds, the pooled instances, and a method's entries as values and bytes. Internal: not part
 * of Readthrough's contract; it may change in any release.
 */
@NullMarked
package dev.readthrough.runtime.internal.codec;

import org.jspecify.annotations.NullMarked;
