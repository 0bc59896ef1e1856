/**
 * The declaration checks at run time: the shared rules over reflected types, the value-type checks,
 * and the check that a cached method was woven. Internal: not part of Readthrough's contract; it
 * may change in any release.
 */
@NullMarked
package dev.readthrough.runtime.internal.declarations;

import org.jspecify.annotations.NullMarked;
