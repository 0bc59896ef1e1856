/**
 * Redis keys: the text of each key part and the template that turns a call's arguments, or an
 * {@code each} element, into its key. Internal: not part of Readthrough's contract; it may change
 * in any release.
 */
@NullMarked
package dev.readthrough.runtime.internal.keys;

import org.jspecify.annotations.NullMarked;
