package dev.readthrough.reliability;

/** The value a victim method caches; its name has the length of {@code EvilValue}'s. */
public record SafeValue(String text) {}
