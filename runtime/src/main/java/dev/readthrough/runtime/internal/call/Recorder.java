package dev.readthrough.runtime.internal.call;

/**
 * The one seam every count of a cache goes through, as Caffeine's {@code StatsCounter} is: the read
 * path, the codec and the Redis guard call it, and the plain counters behind {@link
 * dev.readthrough.runtime.CacheStats} are one implementation of it; a metrics binding is another.
 *
 * <p>A read call records exactly one outcome per distinct key: {@linkplain #recordHits hit},
 * {@linkplain #recordMisses miss}, {@linkplain #recordShared shared} or {@linkplain #recordBypassed
 * bypassed}. The other methods record events that come on top of an outcome.
 */
public interface Recorder {

  /** Redis (or a load another JVM finished meanwhile) answered with a usable entry. */
  void recordHits(int count);

  /** This JVM's near tier held a copy: a hit with no Redis call (also counted as a hit). */
  void recordLocalHits(int count);

  /** Redis had no usable entry, and this call ran the method. */
  void recordMisses(int count);

  /** This call took the outcome of another call's load of the key, in this JVM. */
  void recordShared(int count);

  /** This call ran the method without an answer from Redis: down, failing, or a delete owed. */
  void recordBypassed(int count);

  /** A Redis operation failed or timed out; the call went on without it. */
  void recordRedisError();

  /** An entry could not be decoded and was treated as a miss. */
  void recordDecodeFailure();

  /**
   * A value could not be encoded (its class is not one Kryo can write) and was returned uncached.
   */
  void recordUnencodable();

  /** A value was larger than {@code maxValueBytes} and was returned uncached. */
  void recordTooLarge();

  /** Entries were sent to Redis to be stored (a load's conditional store, or a write-through). */
  void recordStores(int count);

  /** A call (or elements of a bulk call) fell back on stale entries after the method threw. */
  void recordStaleServed(int count);

  /** A background reload ended: it stored a fresh entry, or it {@code failed}. */
  void recordRefresh(boolean failed);

  /** Entries were removed from Redis by an invalidation (a key, {@code each}, or a whole cache). */
  void recordEvictions(long count);

  /**
   * The method ran for a miss and returned (or, for an async method, its future completed) after
   * {@code nanos}; {@code failed} if it threw or its future failed.
   */
  void recordLoad(long nanos, boolean failed);

  /** A read of Redis (GET or MGET) answered, failed or timed out after {@code nanos}. */
  void recordRedisRead(long nanos);

  /** Whether {@link #recordLoad} and {@link #recordRedisRead} want times: else none is taken. */
  boolean timed();
}
