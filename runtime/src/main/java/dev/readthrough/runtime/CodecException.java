package dev.readthrough.runtime;

/** A value could not be encoded for, or decoded from, Redis; the cache treats it as a miss. */
final class CodecException extends Exception {
  private static final long serialVersionUID = 1L;

  CodecException(String message) {
    super(message, null, false, false);
  }

  CodecException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
