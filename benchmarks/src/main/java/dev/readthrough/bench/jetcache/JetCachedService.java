package dev.readthrough.bench.jetcache;

import com.alicp.jetcache.anno.CacheType;
import com.alicp.jetcache.anno.Cached;
import dev.readthrough.bench.Item;
import dev.readthrough.bench.Values;
import java.util.List;

/** The same methods as {@code CachedService}, cached by JetCache's Spring proxy instead. */
public class JetCachedService {

  @Cached(name = "jcSmall:", key = "#id", expire = 300, cacheType = CacheType.REMOTE)
  public Item small(long id) {
    return Values.SMALL;
  }

  @Cached(name = "jcLarge:", key = "#id", expire = 300, cacheType = CacheType.REMOTE)
  public List<Item> large(long id) {
    return Values.LARGE;
  }
}
