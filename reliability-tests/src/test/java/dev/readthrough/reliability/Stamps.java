package dev.readthrough.reliability;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Compares entries as Redis holds them, ignoring each one's stamp (its write time and TTL). */
final class Stamps {

  private Stamps() {}

  /** Whether {@code a} and {@code b} are the same entry but for their stamps. */
  static boolean sameEntry(byte @Nullable [] a, byte @Nullable [] b) {
    if (a == null || b == null || a.length != b.length || a.length < 3) {
      return Arrays.equals(a, b);
    }
    int at = 3 + (a[2] & 0xFF) + 8;
    if (a[0] != 2 || a.length < at + 16) {
      return Arrays.equals(a, b);
    }
    return Arrays.equals(a, 0, at, b, 0, at)
        && Arrays.equals(a, at + 16, a.length, b, at + 16, b.length);
  }
}
