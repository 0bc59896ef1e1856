/**
 * The rules every Readthrough cache declaration must follow, and the messages that report a broken
 * one: {@link dev.readthrough.rules.DeclarationRules} over a {@link
 * dev.readthrough.rules.TypeModel}, which the annotation processor implements over {@code
 * javax.lang.model} and the runtime over {@code java.lang.reflect}. This package uses neither, so
 * that the runtime can carry the rules without the processor. Internal: public only so that the
 * processor and the runtime can use it.
 */
@NullMarked
package dev.readthrough.rules;

import org.jspecify.annotations.NullMarked;
