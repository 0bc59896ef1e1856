/**
 * The build-time check of Readthrough cache declarations: {@link
 * dev.readthrough.processor.ReadThroughProcessor}. Everything else in this package is internal.
 */
@NullMarked
package dev.readthrough.processor;

import org.jspecify.annotations.NullMarked;
