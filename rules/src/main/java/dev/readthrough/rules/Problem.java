package dev.readthrough.rules;

import org.jspecify.annotations.Nullable;

/**
 * One broken rule of a declaration: the message names the method and the attribute at fault.
 *
 * @param annotation the annotation at fault; {@code null} if the method carries none
 */
public record Problem(CacheAnnotation.@Nullable Kind annotation, String message) {}
