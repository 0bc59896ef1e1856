package dev.readthrough.reliability;

/**
 * A cached value whose earlier version had no {@code pages}: {@link NeverWrongTest} compiles that
 * version at run time and writes an entry with it, as a JVM running the old release would.
 */
public record ShapeBook(long id, String title, int pages) {}
