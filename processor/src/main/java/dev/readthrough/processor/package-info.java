/**
 * The build-time check of Readthrough cache declarations: {@link
 * dev.readthrough.processor.ReadThroughProcessor}. Everything else in this package is internal.
 */
package dev.readthrough.processor;
