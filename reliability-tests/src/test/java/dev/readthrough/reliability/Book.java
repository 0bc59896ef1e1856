package dev.readthrough.reliability;

import java.util.List;

/** A cached value with some structure: a number, a string and a list. */
public record Book(long id, String title, List<String> tags) {}
