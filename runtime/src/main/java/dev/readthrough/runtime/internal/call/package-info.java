/**
 * The call path: the interceptor that finds each woven call's plan, the plans (one per kind of
 * call), and the read pipeline's steps that every read plan goes through — lookup, decide, load,
 * store and the recording seam — with the per-engine parts they share. Internal: not part of
 * Readthrough's contract; it may change in any release.
 */
@NullMarked
package dev.readthrough.runtime.internal.call;

import org.jspecify.annotations.NullMarked;
