package dev.readthrough.runtime.internal.codec;

/** A value could not be encoded for, or decoded from, Redis; the cache treats it as a miss. */
public final class CodecException extends Exception {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message, null, false, false);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
