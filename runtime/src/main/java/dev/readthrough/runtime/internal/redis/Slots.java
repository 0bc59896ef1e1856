package dev.readthrough.runtime.internal.redis;

/**
 * Computes the Redis Cluster slot of a key as the servers do: CRC16 (XMODEM) of its UTF-8 bytes, or
 * of its hash tag's ({@code {...}}, the first {@code {} with a {@code }} after it and something
 * between), modulo 16384.
 *
 * <p>Written here rather than taken from Redisson's {@code CRC16}, which wants the key's bytes: the
 * slot is asked on every hit in a Cluster, and this encodes the key on the fly, without allocating.
 */
final class Slots {

  /** How many slots a Redis Cluster has. */
  static final int COUNT = 16384;

  private static final int[] TABLE = new int[256];

  static {
    for (int b = 0; b < 256; b++) {
      int crc = b << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      TABLE[b] = crc & 0xFFFF;
    }
  }

  private Slots() {}

  /** The slot of {@code key}. */
  static int of(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        return crc16(key, open + 1, close) & (COUNT - 1);
      }
    }
    return crc16(key, 0, key.length()) & (COUNT - 1);
  }

  /**
   * CRC16 (XMODEM) of the UTF-8 encoding of {@code key}'s chars from {@code from} to {@code to}.
   */
  private static int crc16(String key, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      char c = key.charAt(i);
      if (c < 0x80) {
        crc = step(crc, c);
      } else if (c < 0x800) {
        crc = step(crc, 0xC0 | (c >> 6));
        crc = step(crc, 0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < to
          && Character.isLowSurrogate(key.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, key.charAt(++i));
        crc = step(crc, 0xF0 | (cp >> 18));
        crc = step(crc, 0x80 | ((cp >> 12) & 0x3F));
        crc = step(crc, 0x80 | ((cp >> 6) & 0x3F));
        crc = step(crc, 0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        crc = step(crc, '?'); // a lone surrogate encodes as String.getBytes(UTF_8) does
      } else {
        crc = step(crc, 0xE0 | (c >> 12));
        crc = step(crc, 0x80 | ((c >> 6) & 0x3F));
        crc = step(crc, 0x80 | (c & 0x3F));
      }
    }
    return crc;
  }

  private static int step(int crc, int b) {
    return ((crc << 8) ^ TABLE[((crc >> 8) ^ b) & 0xFF]) & 0xFFFF;
  }
}
