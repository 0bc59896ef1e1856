package dev.readthrough.bench.spring;

import dev.readthrough.bench.Item;
import dev.readthrough.bench.Values;
import java.util.List;
import org.springframework.cache.annotation.Cacheable;

/** The same methods as {@code CachedService}, cached by Spring's proxy instead. */
public class SpringCachedService {

  @Cacheable(cacheNames = "springSmall", key = "#id")
  public Item small(long id) {
    return Values.SMALL;
  }

  @Cacheable(cacheNames = "springLarge", key = "#id")
  public List<Item> large(long id) {
    return Values.LARGE;
  }
}
