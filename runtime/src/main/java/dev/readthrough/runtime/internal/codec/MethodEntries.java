package dev.readthrough.runtime.internal.codec;

import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.internal.call.Recorder;
import dev.readthrough.runtime.internal.resilience.RateLimitedLog;
import java.lang.reflect.Type;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the entries of one cached method as Redis holds them: a value to bytes and back, what a
 * cached null means, and what happens to a value that cannot be encoded or an entry that cannot be
 * decoded (a counter and a rate-limited log line; the call goes on).
 */
public final class MethodEntries {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  /** What {@link #decode} returns for an entry that cannot be used: the call is a miss. */
  public static final Object UNUSABLE = new Object();

  private final ValueCodec codec;
  private final String kind;
  private final boolean cacheNulls;
  private final String description;
  private final String cache;
  private final int maxValueBytes;
  private final RateLimitedLog log;
  private final AtomicBoolean warnedTooLarge = new AtomicBoolean();

  public MethodEntries(
      ValueCodec codec,
      Type valueType,
      boolean cacheNulls,
      String description,
      String cache,
      int maxValueBytes,
      RateLimitedLog log) {
    this.codec = codec;
    this.kind = valueType.getTypeName(); // Type implementations need not equal each other
    this.cacheNulls = cacheNulls;
    this.description = description;
    this.cache = cache;
    this.maxValueBytes = maxValueBytes;
    this.log = log;
  }

  /**
   * The kind of entry this codec reads and writes: two methods share an in-flight load of a key
   * only when their entries are of the same kind.
   */
  public Object kind() {
    return kind;
  }

  /**
   * Whether a null value (a method's null, {@code Optional.empty()} or a missing element) is
   * cached.
   */
  public boolean cacheNulls() {
    return cacheNulls;
  }

  /**
   * Decodes an entry.
   *
   * @return the value, {@code null} for a cached null, or {@link #UNUSABLE}
   */
  public @Nullable Object decode(Recorder counters, String key, byte[] bytes) {
    try {
      Object value = codec.decode(bytes);
      if (value == null && !cacheNulls) {
        return UNUSABLE; // written while cacheNulls was on; honour the annotation as it is now
      }
      return value;
    } catch (CodecException e) {
      counters.recordDecodeFailure();
      log.warn(
          "decode:" + cache,
          "Unreadable cache entry "
              + key
              + " for "
              + description
              + " treated as a miss and replaced: "
              + e.getMessage());
      return UNUSABLE;
    }
  }

  /** An entry's write time, epoch milliseconds, or {@link ValueCodec#NO_TIME} for none. */
  public long writtenAt(byte[] bytes) {
    return codec.writtenAt(bytes);
  }

  /**
   * When an entry stops being fresh, epoch milliseconds, or {@link ValueCodec#NEVER} if it carries
   * no stamp.
   */
  public long freshUntil(byte[] bytes) {
    return codec.freshUntil(bytes);
  }

  /**
   * Encodes a value for storing, stamped as written now and fresh for {@code ttlMillis}.
   *
   * @return the bytes, or {@code null} if the value is not to be stored (a null without {@code
   *     cacheNulls}, too large, or not encodable)
   */
  public byte @Nullable [] encode(Recorder counters, @Nullable Object value, long ttlMillis) {
    if (value == null && !cacheNulls) {
      return null;
    }
    try {
      long now = System.currentTimeMillis();
      return codec.encode(value, now, now + ttlMillis);
    } catch (TooLargeException e) {
      counters.recordTooLarge();
      if (warnedTooLarge.compareAndSet(false, true)) {
        LOG.warn(
            "{}: results larger than maxValueBytes = {} are returned but not cached ({})",
            description,
            maxValueBytes,
            e.getMessage());
      }
      return null;
    } catch (CodecException e) {
      counters.recordUnencodable();
      String why = value == null ? null : codec.diagnose(value);
      log.warn(
          "encode:" + cache,
          description
              + " returned a value that cannot be cached; it was returned uncached: "
              + (why != null ? why : e.getMessage()));
      return null;
    }
  }
}
