package dev.readthrough.spring;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** The slow upstream behind {@link ProductCatalog}: counts how often it is really asked. */
@Component
class ProductSource {

  final AtomicInteger loads = new AtomicInteger();

  Product load(long id) {
    loads.incrementAndGet();
    return new Product(id, "product-" + id);
  }
}
