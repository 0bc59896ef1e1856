package dev.readthrough.runtime.internal.near;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.readthrough.runtime.internal.codec.MethodEntries;
import dev.readthrough.runtime.internal.codec.ValueCodec;
import org.jspecify.annotations.Nullable;

/**
 * Owns one cache's copies in this JVM: a bounded Caffeine cache from Redis key to the entry's bytes
 * (and, for a value no caller can change, its decoded value), each copy living at most its method's
 * {@code localTtlSeconds} and never past the entry's freshness in Redis. What may be installed and
 * when copies are dropped is decided by the {@link Coherence} it is registered with.
 */
public final class NearTier {

  /** What {@link #find} returns when the tier holds no usable copy. Compared by identity. */
  public static final Object ABSENT = new Object();

  private static final Object NOT_SHARED = new Object();

  private final String head;
  private final Coherence coherence;
  private final Cache<String, Copy> copies;

  /** Test hook: runs after a read's reply is in and before its copy is installed. */
  public volatile @Nullable Runnable beforeInstall;

  /** Test hook: runs after a copy was installed and before its ticket is checked again. */
  public volatile @Nullable Runnable afterInstall;

  /**
   * @param head the cache's key head, {@code <prefix>:<cache>:}: the prefix Redis tracks
   */
  public NearTier(String head, long maxEntries, Coherence coherence) {
    this.head = head;
    this.coherence = coherence;
    // no Caffeine expiry: a copy's deadline is checked on read, so that a read keeps Caffeine's
    // fast path (variable expiry sends every read through its read buffer, and reads its ticker)
    this.copies = Caffeine.newBuilder().maximumSize(maxEntries).build();
  }

  String head() {
    return head;
  }

  /** A ticket for a read of {@code key}, taken before it is sent; see {@link Coherence}. */
  public long ticket(String key) {
    return coherence.ticket(key);
  }

  /**
   * The value of this JVM's copy of {@code key}, if it holds one of the entries {@code entries}
   * reads: the shared value, or one decoded afresh from the copy's bytes.
   *
   * @return the value ({@code null} for a cached null) or {@link #ABSENT}
   */
  public @Nullable Object find(MethodEntries entries, NearSpec near, String key) {
    Copy copy = copies.getIfPresent(key);
    if (copy == null || copy.kind != entries.kind()) {
      return ABSENT;
    }
    if (copy.expired(System.nanoTime())) {
      copies.asMap().remove(key, copy);
      return ABSENT;
    }
    if (copy.shared != NOT_SHARED) {
      return copy.shared;
    }
    Object value = entries.decode(near.counters(), key, copy.bytes);
    return value == MethodEntries.UNUSABLE ? ABSENT : value;
  }

  /**
   * Keeps a copy of {@code bytes}, which a read of {@code key} with {@code ticket} found and
   * decoded to {@code value}, if the ticket still holds (see {@link Coherence}).
   */
  public void offer(
      MethodEntries entries,
      NearSpec near,
      String key,
      long ticket,
      byte[] bytes,
      @Nullable Object value) {
    Runnable hook = beforeInstall;
    if (hook != null) {
      hook.run();
    }
    if (!coherence.valid(ticket, key)) {
      return;
    }
    long lifeMillis = near.localTtlMillis();
    long now = System.currentTimeMillis();
    long freshUntil = entries.freshUntil(bytes);
    if (freshUntil != ValueCodec.NEVER) {
      lifeMillis = Math.min(lifeMillis, freshUntil - now);
    }
    long writtenAt = entries.writtenAt(bytes);
    if (near.refreshAfterMillis() > 0 && writtenAt != ValueCodec.NO_TIME) {
      lifeMillis = Math.min(lifeMillis, writtenAt + near.refreshAfterMillis() - now);
    }
    if (lifeMillis <= 0) {
      return;
    }
    Copy copy =
        new Copy(
            bytes,
            near.shareable() ? value : NOT_SHARED,
            entries.kind(),
            System.nanoTime() + lifeMillis * 1_000_000);
    copies.put(key, copy);
    Runnable after = afterInstall;
    if (after != null) {
      after.run();
    }
    if (!coherence.valid(ticket, key)) {
      copies.asMap().remove(key, copy);
    }
  }

  /** Drops this JVM's copy of {@code key}, if any. */
  public void drop(String key) {
    copies.invalidate(key);
  }

  /** Drops every copy. */
  public void clear() {
    copies.invalidateAll();
  }

  /** How many copies this tier holds, expired ones not yet removed included (an estimate). */
  public long size() {
    return copies.estimatedSize();
  }

  /** How long the copy of {@code key} has left to live, in nanoseconds; -1 for no copy. */
  public long remainingNanos(String key) {
    Copy copy = copies.asMap().get(key);
    long now = System.nanoTime();
    return copy == null || copy.expired(now) ? -1 : copy.expiresAt - now;
  }

  /** Whether this tier holds a live copy of {@code key} now; looking is not a read of it. */
  public boolean holds(String key) {
    return remainingNanos(key) >= 0;
  }

  /**
   * One copy: the entry's bytes, its decoded value if it may be shared ({@link #NOT_SHARED} if
   * not), the kind of entry it is, and the {@link System#nanoTime()} at which it expires. An
   * expired copy is never served; it is removed when next read, or evicted by size.
   */
  private record Copy(byte[] bytes, @Nullable Object shared, Object kind, long expiresAt) {
    boolean expired(long now) {
      return now - expiresAt >= 0;
    }
  }
}
