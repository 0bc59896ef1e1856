/**
 * The rules every Readthrough cache declaration must follow, written once for the annotation
 * processor (over {@code javax.lang.model}) and the runtime (over {@code java.lang.reflect}), with
 * the messages both report. Internal: public only so that the runtime can use it.
 */
@NullMarked
package dev.readthrough.rules;

import org.jspecify.annotations.NullMarked;
