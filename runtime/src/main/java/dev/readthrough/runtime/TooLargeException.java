package dev.readthrough.runtime;

/** An encoded value is larger than {@link ReadThroughConfig#maxValueBytes()}. */
final class TooLargeException extends Exception {
  private static final long serialVersionUID = 1L;

  TooLargeException(String message) {
    super(message, null, false, false);
  }
}
