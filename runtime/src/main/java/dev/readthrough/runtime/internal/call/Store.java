package dev.readthrough.runtime.internal.call;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The store step of a read: puts what a load's leader loaded into Redis, so that it never lands
 * after a change of the key that came after the load's read.
 *
 * <h2>Leases</h2>
 *
 * As memcached's leases (Nishtala et al., "Scaling Memcache at Facebook", NSDI 2013): before a
 * leader runs the method, it sets the key to a lease of its own, if the key still holds what its
 * read found (nothing, another load's lease, or an unusable entry). The store then lands only if
 * the key still holds that lease ({@code EVAL}, atomically in Redis). Any change of the key in the
 * meantime, from this JVM or another — an {@code @Invalidate} or {@code allEntries} (UNLINK), a
 * {@code @WriteThrough} (SET), a client's {@code SET} or {@code DEL} — replaces or removes the
 * lease, so a store that arrives later, however late its connection delivers it, changes nothing. A
 * lease that no store follows (the method threw, or its value is not cached) is removed. Hits stay
 * a plain GET: a lease reads as a miss.
 *
 * <p>A lease is {@value #LEASE_LENGTH} bytes, a zero tag and random bytes; no entry starts with a
 * zero byte. A lease that replaces a stale entry (see {@link Stale}) carries that entry after those
 * bytes, so that a call in another JVM that reads the key during the load still finds it. It lives
 * at least {@value #MIN_LEASE_MILLIS} ms or the entry's TTL: a longer load finds its lease expired
 * and stores nothing.
 */
public final class Store {

  public static final int LEASE_LENGTH = 17;
  public static final long MIN_LEASE_MILLIS = 30_000;
  private static final byte LEASE_TAG = 0;

  private final RequestPath path;

  /** Test hook: runs once Redis answered a batch of stores (or could not). */
  public volatile @Nullable Runnable afterStoreAnswered;

  public Store(RequestPath path) {
    this.path = path;
  }

  /** Whether bytes read from Redis are a load's lease rather than an entry. */
  public static boolean isLease(byte[] bytes) {
    return bytes.length >= LEASE_LENGTH && bytes[0] == LEASE_TAG;
  }

  /** The lease a load sets on one key: its own, carrying the stale entry it replaces, if any. */
  public static byte[] leaseOf(byte[] lease, byte @Nullable [] stale) {
    if (stale == null) {
      return lease;
    }
    byte[] carrying = Arrays.copyOf(lease, LEASE_LENGTH + stale.length);
    System.arraycopy(stale, 0, carrying, LEASE_LENGTH, stale.length);
    return carrying;
  }

  /** The stale entry a lease carries, or {@code null} if it carries none. */
  public static byte @Nullable [] carried(byte[] lease) {
    return lease.length > LEASE_LENGTH
        ? Arrays.copyOfRange(lease, LEASE_LENGTH, lease.length)
        : null;
  }

  /** A new lease, unique to one load. */
  public static byte[] newLease() {
    byte[] lease = new byte[LEASE_LENGTH];
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 1; i < LEASE_LENGTH; i++) {
      lease[i] = (byte) random.nextInt();
    }
    lease[0] = LEASE_TAG;
    return lease;
  }

  /** How long a lease lives in Redis for entries of this TTL. */
  public static long leaseMillis(long ttlMillis) {
    return Math.max(MIN_LEASE_MILLIS, ttlMillis);
  }

  /**
   * Stores the values loaded for {@code slots} under the batch's lease, pipelined, and finishes
   * their flights once Redis answered. A slot whose value is not cached (a null without {@code
   * cacheNulls}, too large, not encodable), whose lease was not taken, or whose flight was
   * superseded stores nothing and finishes at once; its lease, if any, is removed.
   *
   * @return a future that completes once Redis answered the stores (or could not); never fails
   */
  public CompletableFuture<Void> store(Load.Batch batch, List<Load.Slot> slots) {
    ReadSpec spec = batch.spec;
    byte[] lease = batch.lease;
    List<String> keys = new ArrayList<>(slots.size());
    List<byte[]> values = new ArrayList<>(slots.size());
    List<byte[]> leases = new ArrayList<>(slots.size());
    List<Load.Slot> storing = new ArrayList<>(slots.size());
    List<Load.Slot> unused = new ArrayList<>();
    long ttl = path.ttlMillis(spec.ttlMillis());
    for (Load.Slot slot : slots) {
      byte[] held = slot.lease;
      byte[] bytes =
          lease != null && held != null
              ? spec.entries().encode(spec.counters(), slot.value, ttl)
              : null;
      if (bytes != null
          && held != null
          && path.guard.mayUse(slot.key)
          && slot.flight().beginStore()) {
        keys.add(slot.key);
        values.add(bytes);
        leases.add(held);
        storing.add(slot);
      } else {
        slot.flight().finish();
        unused.add(slot);
      }
    }
    release(batch, unused, false); // the method answered: a stale entry it replaced is outdated
    if (lease == null || keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return path.guard
        .storeLeased(
            spec.counters(), keys, values, leases, spec.keepMillis(ttl), spec.description())
        .whenComplete(
            (ok, error) -> {
              for (Load.Slot slot : storing) {
                slot.flight().finish();
              }
              Runnable hook = afterStoreAnswered;
              if (hook != null) {
                hook.run();
              }
            });
  }

  /**
   * Ends the leases of {@code slots}, which no store will follow: each is removed or, with {@code
   * restore} (the method failed), replaced by the stale entry it carries, for what is left of that
   * entry's stale window, so that the next call can still fall back on it.
   */
  public void release(Load.Batch batch, List<Load.Slot> slots, boolean restore) {
    ReadSpec spec = batch.spec;
    List<String> keys = new ArrayList<>();
    List<byte[]> leases = new ArrayList<>();
    List<byte @Nullable []> back = new ArrayList<>();
    List<Long> backMillis = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (Load.Slot slot : slots) {
      byte[] held = slot.lease;
      if (held == null) {
        continue;
      }
      byte[] stale = restore ? carried(held) : null;
      long left = stale == null ? 0 : Stale.windowEnd(spec, stale) - now;
      keys.add(slot.key);
      leases.add(held);
      back.add(left > 0 ? stale : null);
      backMillis.add(left);
    }
    if (!keys.isEmpty()) {
      path.guard.release(spec.counters(), keys, leases, back, backMillis, spec.description());
    }
  }
}
