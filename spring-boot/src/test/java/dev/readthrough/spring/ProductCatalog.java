package dev.readthrough.spring;

import dev.readthrough.ReadThrough;
import lombok.RequiredArgsConstructor;
import org.springframework.stereotype.Service;

/**
 * A Spring service with a woven cached method, and a method that calls it through {@code this},
 * which a proxy-based cache would not see. Its constructor is Lombok's.
 */
@Service
@RequiredArgsConstructor
class ProductCatalog {

  private final ProductSource source;

  @ReadThrough(key = "id", ttlSeconds = 300, cache = "products")
  public Product find(long id) {
    return source.load(id);
  }

  /** Calls {@link #find} on {@code this}: no proxy stands between the two. */
  public String describe(long id) {
    return this.find(id).getName();
  }
}
