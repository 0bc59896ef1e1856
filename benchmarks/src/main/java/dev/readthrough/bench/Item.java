package dev.readthrough.bench;

import java.io.Serializable;

/**
 * The cached value of every case: about 100 bytes once encoded; the large value is a list of them.
 */
public record Item(
    long id,
    String sku,
    String name,
    String category,
    int quantity,
    long priceCents,
    boolean active,
    double rating)
    implements Serializable {}
