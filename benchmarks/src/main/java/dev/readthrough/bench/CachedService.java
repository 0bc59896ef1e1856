package dev.readthrough.bench;

import dev.readthrough.ReadThrough;
import java.util.List;

/**
 * The benchmark's cached service, woven at build time by the Readthrough aspect library. Every
 * method returns a value that already exists, so the method itself costs next to nothing and the
 * numbers are the caching layer's.
 */
public class CachedService {

  @ReadThrough(key = "id", ttlSeconds = 300, cache = "small")
  public Item small(long id) {
    return Values.SMALL;
  }

  @ReadThrough(key = "id", ttlSeconds = 300, cache = "large")
  public List<Item> large(long id) {
    return Values.LARGE;
  }

  /** Near-tier case: the small value, kept in this JVM as well (an immutable record: shared). */
  @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 300, cache = "nearSmall")
  public Item nearSmall(long id) {
    return Values.SMALL;
  }

  /**
   * Refresh-ahead case: the small value with a 2 s TTL, reloaded ahead once an entry is 1 s old;
   * the method takes 2 ms, as a slow upstream would.
   */
  @ReadThrough(key = "id", ttlSeconds = 2, refreshAfterSeconds = 1, cache = "refreshSmall")
  public Item refreshSmall(long id) {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Values.SMALL;
  }

  /** The same without refresh-ahead: its entry expires under its readers every 2 s. */
  @ReadThrough(key = "id", ttlSeconds = 2, cache = "expireSmall")
  public Item expireSmall(long id) {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Values.SMALL;
  }

  /** Miss case: a fresh id on every call; short TTL so that the run does not fill Redis. */
  @ReadThrough(key = "id", ttlSeconds = 2, cache = "missSmall")
  public Item smallMiss(long id) {
    return Values.SMALL;
  }

  @ReadThrough(key = "id", ttlSeconds = 2, cache = "missLarge")
  public List<Item> largeMiss(long id) {
    return Values.LARGE;
  }

  /** The same body, not annotated and so not woven: the "method time" of the miss target. */
  public Item plainSmall(long id) {
    return Values.SMALL;
  }

  public List<Item> plainLarge(long id) {
    return Values.LARGE;
  }

  /** Whether ajc wove this class (it adds {@code ajc$}/{@code _aroundBody} members). */
  public static boolean isWoven() {
    for (java.lang.reflect.Method m : CachedService.class.getDeclaredMethods()) {
      if (m.getName().contains("aroundBody") || m.getName().startsWith("ajc$")) {
        return true;
      }
    }
    return false;
  }
}
