package dev.readthrough.runtime.internal.flight;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Owns the tickets of the reads in flight, so that a finished load can stay findable until every
 * read sent before it finished has come back.
 *
 * <h2>Why</h2>
 *
 * A read that was sent before a load of its key stored its value may be answered with a miss that
 * was true when Redis read it. If that answer comes back after the load has finished, the call must
 * take the load's outcome, not lead a second load. So a finished load is kept, and dropped only
 * once no read that began before it finished is still to come back.
 *
 * <h2>The protocol</h2>
 *
 * A read {@linkplain #begin() begins} before its command is sent and {@linkplain #end ends} once
 * its call has decided what to do with the answer (taken a hit, or claimed its flight). Its ticket
 * holds the {@linkplain #finishes() finish count} at its start: a load finished later than that (a
 * larger finish number) may have stored after the read was sent.
 *
 * <p>Reads are counted in two generations, as read-copy-update does: a read increments the counter
 * of the current epoch's parity, then checks that the epoch did not change meanwhile (else it
 * undoes and retries), so its count always sits in the parity of an epoch that was current after it
 * was counted. The sweeper alone advances the epoch: it notes the finish count, moves the epoch on,
 * and once the old parity's counters read zero, every read that began before the move has ended;
 * every load finished before the move can then be dropped. Counters are striped by thread (a read
 * ends on the slot it began on, whatever thread ends it), so a hit costs two uncontended atomic
 * adds, no allocation.
 */
public final class ReadEpochs {

  private static final int SLOTS = 64; // a power of two
  private static final int PAD = 8; // longs per slot: one cache line, against false sharing
  private static final int SLOT_BITS = 6;
  private static final int PARITY_BIT = 1 << SLOT_BITS;

  private final AtomicLongArray counts = new AtomicLongArray(2 * SLOTS * PAD);
  private final AtomicLong finishes = new AtomicLong();
  private volatile int epoch;

  /**
   * Begins a read, before its command is sent.
   *
   * @return the ticket to hand to {@link #end} and to compare finish numbers with
   */
  public long begin() {
    int slot = (int) Thread.currentThread().getId() & (SLOTS - 1);
    while (true) {
      int e = epoch;
      int parity = e & 1;
      int index = index(parity, slot);
      counts.getAndIncrement(index);
      if (epoch == e) {
        return finishes.get() << (SLOT_BITS + 1) | (long) parity << SLOT_BITS | slot;
      }
      counts.getAndDecrement(index);
    }
  }

  /** Ends a read begun with {@code ticket}; on any thread, once. */
  public void end(long ticket) {
    int slot = (int) (ticket & (SLOTS - 1));
    int parity = (ticket & PARITY_BIT) != 0 ? 1 : 0;
    counts.getAndDecrement(index(parity, slot));
  }

  /** The finish count when the read of {@code ticket} began. */
  public static long finishesAt(long ticket) {
    return ticket >>> (SLOT_BITS + 1);
  }

  /** Numbers one more finished load: a ticket taken before it holds a smaller finish count. */
  public long nextFinish() {
    return finishes.incrementAndGet();
  }

  /** The finish count now. */
  public long finishes() {
    return finishes.get();
  }

  /**
   * Moves the epoch on; sweeper only.
   *
   * @return the parity whose reads must all end before what finished until now may be dropped
   */
  public int advance() {
    int old = epoch;
    epoch = old + 1;
    return old & 1;
  }

  /** Whether every read counted in {@code parity} has ended; sweeper only. */
  public boolean drained(int parity) {
    long sum = 0;
    for (int slot = 0; slot < SLOTS; slot++) {
      sum += counts.get(index(parity, slot));
    }
    return sum == 0;
  }

  private static int index(int parity, int slot) {
    return (parity * SLOTS + slot) * PAD;
  }
}
