package dev.readthrough.runtime.internal.near;

import dev.readthrough.runtime.internal.call.Recorder;

/**
 * What the near tier needs of one cached method: its cache's tier, how long a copy may live, and
 * whether a decoded value may be handed to every caller (see {@link Sharing}), and the age at which
 * its entries are due a reload ahead (a copy ends then, so that the next read goes to Redis and
 * hands the key to the reload), zero for none.
 */
public record NearSpec(
    NearTier tier,
    long localTtlMillis,
    boolean shareable,
    Recorder counters,
    long refreshAfterMillis) {

  /** A method that does not refresh ahead. */
  public NearSpec(NearTier tier, long localTtlMillis, boolean shareable, Recorder counters) {
    this(tier, localTtlMillis, shareable, counters, 0);
  }
}
