package dev.readthrough.runtime.internal.codec;

/**
 * An encoded value is larger than {@link
 * dev.readthrough.runtime.ReadThroughConfig#maxValueBytes()}.
 */
public final class TooLargeException extends Exception {
  private static final long serialVersionUID = 1L;

  public TooLargeException(String message) {
    super(message, null, false, false);
  }
}
