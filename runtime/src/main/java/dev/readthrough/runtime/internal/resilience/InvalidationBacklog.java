package dev.readthrough.runtime.internal.resilience;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Owns the invalidations that could not be sent to Redis, so that they are delivered once it
 * answers again instead of being lost, and so that no call reads an entry that is owed a delete.
 *
 * <p>It keeps at most {@code bound} single keys; an {@code allEntries} invalidation is one item
 * however many keys it covers. Past the bound, the cache of the key that did not fit is marked to
 * be cleared whole (as by {@code allEntries}), which is always correct, only less precise. Keys and
 * heads are kept in the order they failed and replayed heads first.
 *
 * <p>Each item carries the number of the invalidation that put it there; replay removes an item
 * only if no newer invalidation of the same key or head arrived while it was being sent.
 */
public final class InvalidationBacklog {

  /** Sends what the backlog holds; returns false if Redis failed, leaving the rest kept. */
  public interface Sender {
    boolean unlink(List<String> keys);

    boolean clear(String head);
  }

  private final int bound;
  private final LinkedHashMap<String, Long> keys = new LinkedHashMap<>();
  private final LinkedHashMap<String, Long> heads = new LinkedHashMap<>();
  private long sequence;
  private volatile boolean empty = true;

  public InvalidationBacklog(int bound) {
    this.bound = bound;
  }

  /** Keeps the delete of {@code key}, whose cache's keys start with {@code head}. */
  public synchronized void addKey(String head, String key) {
    if (coveredByHead(key)) {
      return;
    }
    if (!keys.containsKey(key) && keys.size() >= bound) {
      addHead(head);
      return;
    }
    keys.remove(key); // keep failure order: the newest goes last
    keys.put(key, ++sequence);
    empty = false;
  }

  /** Keeps the removal of every key that starts with {@code head}. */
  public synchronized void addHead(String head) {
    heads.remove(head);
    heads.put(head, ++sequence);
    keys.keySet().removeIf(key -> key.startsWith(head));
    empty = false;
  }

  /** Whether a delete of {@code key}, or of its whole cache, is still owed to Redis. */
  public boolean covers(String key) {
    if (empty) {
      return false; // the hit path pays one volatile read while nothing is owed
    }
    synchronized (this) {
      return keys.containsKey(key) || coveredByHead(key);
    }
  }

  /** Whether anything is owed to Redis. */
  public boolean isEmpty() {
    return empty;
  }

  /** How many items are kept (keys plus heads), for tests and logs. */
  public synchronized int size() {
    return keys.size() + heads.size();
  }

  private boolean coveredByHead(String key) {
    for (String head : heads.keySet()) {
      if (key.startsWith(head)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Delivers everything kept, heads first, in batches of {@code batch} keys.
   *
   * @return whether the backlog was emptied; false if a send failed (the rest stays kept)
   */
  public boolean replay(Sender sender, int batch) {
    return replay(sender, batch, key -> true, true) && isEmpty();
  }

  /**
   * Delivers the kept keys that {@code which} accepts, in batches of {@code batch} keys, and the
   * heads too if {@code withHeads}, heads first.
   *
   * @return whether all of those were delivered; false if a send failed (the rest stays kept)
   */
  public boolean replay(Sender sender, int batch, Predicate<String> which, boolean withHeads) {
    Map<String, Long> headsNow;
    Map<String, Long> keysNow;
    synchronized (this) {
      if (empty) {
        return true;
      }
      headsNow = withHeads ? new LinkedHashMap<>(heads) : Map.of();
      keysNow = new LinkedHashMap<>(keys);
    }
    for (Map.Entry<String, Long> head : headsNow.entrySet()) {
      if (!sender.clear(head.getKey())) {
        return false;
      }
      synchronized (this) {
        heads.remove(head.getKey(), head.getValue());
        refreshEmpty();
      }
    }
    List<Map.Entry<String, Long>> pending = new ArrayList<>();
    for (Map.Entry<String, Long> entry : keysNow.entrySet()) {
      if (which.test(entry.getKey())) {
        pending.add(entry);
      }
    }
    for (int from = 0; from < pending.size(); from += batch) {
      List<Map.Entry<String, Long>> slice =
          pending.subList(from, Math.min(pending.size(), from + batch));
      List<String> names = new ArrayList<>(slice.size());
      slice.forEach(entry -> names.add(entry.getKey()));
      if (!sender.unlink(names)) {
        return false;
      }
      synchronized (this) {
        for (Map.Entry<String, Long> entry : slice) {
          keys.remove(entry.getKey(), entry.getValue());
        }
        refreshEmpty();
      }
    }
    return true;
  }

  /** The heads kept, for tests. */
  public synchronized Set<String> heads() {
    return new LinkedHashSet<>(heads.keySet());
  }

  private void refreshEmpty() {
    empty = keys.isEmpty() && heads.isEmpty();
  }
}
