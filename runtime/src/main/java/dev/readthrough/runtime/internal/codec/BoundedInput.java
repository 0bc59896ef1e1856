package dev.readthrough.runtime.internal.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * A Kryo {@link Input} over one cached value that refuses any declared length larger than the bytes
 * left, so that a forged length cannot make Kryo allocate a huge array before it notices the value
 * is short.
 *
 * <p>Kryo trusts the lengths it reads: {@code readInts(n)} allocates {@code new int[n]} and a UTF-8
 * string allocates its char array before reading a single character. Every element takes at least
 * one byte, so a length above the remaining bytes is always a lie.
 */
public final class BoundedInput extends Input {

  public BoundedInput() {
    super();
  }

  /**
   * Elements that the collections and arrays still to be read may declare in total. Each element
   * starts at a byte of its own, so all declared sizes together never exceed the value's length;
   * without this total, nested collections that each declare "as many as the bytes left" would
   * allocate the value's length once per level.
   */
  private long budget;

  @Override
  public void setBuffer(byte[] bytes, int offset, int count) {
    super.setBuffer(bytes, offset, count);
    budget = count;
  }

  /**
   * Accepts a declared count of {@code elements} to be read next: refused if it exceeds the bytes
   * left, or if it and the counts declared before it exceed the value's length.
   */
  public void claim(long elements) {
    if (elements < 0 || elements > remaining()) {
      throw new KryoException(
          "declared size " + elements + " exceeds the " + remaining() + " bytes left");
    }
    budget -= elements;
    if (budget < 0) {
      throw new KryoException("declared sizes add up to more elements than the value has bytes");
    }
  }

  public int remaining() {
    return limit - position;
  }

  public void checkLength(long elements, int bytesEach) {
    if (elements < 0 || elements * bytesEach > remaining()) {
      throw new KryoException(
          "declared length " + elements + " exceeds the " + remaining() + " bytes left");
    }
  }

  @Override
  public String readString() {
    checkStringLength();
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    checkStringLength();
    return super.readStringBuilder();
  }

  /** Decodes Kryo's string length header without consuming it, and bounds it. */
  private void checkStringLength() {
    if (position >= limit) {
      return; // super reports the underflow
    }
    int b = buffer[position];
    if ((b & 0x80) == 0) {
      return; // ASCII: terminated by a high bit, never longer than the buffer
    }
    int p = position + 1;
    int result = b & 0x3F;
    if ((b & 0x40) != 0) {
      int shift = 6;
      do {
        if (p >= limit) {
          throw new KryoException("truncated string length");
        }
        b = buffer[p++];
        result |= (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0 && shift <= 27);
    }
    checkLength(result - 1L, 1);
  }

  @Override
  public byte[] readBytes(int length) {
    checkLength(length, 1);
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    checkLength(length, 1);
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    checkLength(length, 1);
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    checkLength(length, 1);
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    checkLength(length, 1);
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    checkLength(length, 4);
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    checkLength(length, 8);
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    checkLength(length, 2);
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    checkLength(length, 2);
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    checkLength(length, 1);
    return super.readBooleans(length);
  }
}
