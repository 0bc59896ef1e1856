package dev.readthrough.bench;

import dev.readthrough.ReadThrough;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The bulk and async cases' woven service: three ways to read the same entries of one cache, {@code
 * rt:items:<id>}. The bodies return items built once, so that a miss costs next to nothing; the
 * measured cases are all hits and never run them.
 */
public class ItemService {

  /** Ids 1 to {@value #COUNT}, the entries every case reads. */
  static final int COUNT = 100;

  private static final Item[] ITEMS = items();

  /** One entry per id, read in one MGET. */
  @ReadThrough(cache = "items", each = "ids", ttlSeconds = 300)
  public Map<Long, Item> findAll(List<Long> ids) {
    Map<Long, Item> found = new LinkedHashMap<>();
    for (Long id : ids) {
      found.put(id, item(id));
    }
    return found;
  }

  /** One entry, one GET. */
  @ReadThrough(cache = "items", key = "id", ttlSeconds = 300)
  public Item find(long id) {
    return item(id);
  }

  /** The same entry as {@link #find}, as a future. */
  @ReadThrough(cache = "items", key = "id", ttlSeconds = 300)
  public CompletableFuture<Item> findAsync(long id) {
    return CompletableFuture.completedFuture(item(id));
  }

  private static Item item(long id) {
    return ITEMS[(int) ((id - 1) % COUNT)];
  }

  private static Item[] items() {
    Item[] items = new Item[COUNT];
    for (int i = 0; i < COUNT; i++) {
      items[i] = Values.item(i + 1);
    }
    return items;
  }
}
