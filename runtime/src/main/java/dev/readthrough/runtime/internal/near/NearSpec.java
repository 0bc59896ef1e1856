package dev.readthrough.runtime.internal.near;

import dev.readthrough.runtime.internal.call.Recorder;

/**
 * What the near tier needs of one cached method: its cache's tier, how long a copy may live, and
 * whether a decoded value may be handed to every caller (see {@link Sharing}).
 */
public record NearSpec(NearTier tier, long localTtlMillis, boolean shareable, Recorder counters) {}
