package dev.readthrough.runtime.internal.redis;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Owns how Redis's and Redisson's words reach the engine's log: a failure's message cut to what
 * happened, credentials masked, and key text escaped for a SCAN pattern.
 */
final class RedisMessages {

  /** The user and password part of a Redis URI. */
  private static final Pattern CREDENTIALS = Pattern.compile("(rediss?://)[^@/\\s]*@");

  /** The start of Redisson's advice sentences, wherever they begin in one of its messages. */
  private static final Pattern ADVICE =
      Pattern.compile(
          "\\s*(?:Increase connection pool size|Check CPU usage|Check that there are no blocking"
              + "|Check connection with Redis node|Try to increase)");

  /** A sentence's end: a full stop, or {@code !} or {@code ?}, before white space. */
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?=\\s)");

  private RedisMessages() {}

  /**
   * The exception's class and what its message says went wrong, fit for the engine's log: the first
   * sentence, cut before any tuning advice Redisson appends, and with credentials in a URI masked
   * (Redis error texts can echo one).
   *
   * <p>Redisson's timeout messages go on after what happened with advice ("Increase connection pool
   * size or timeout", "Check connection with Redis node ... for TCP packet drops", "Try to increase
   * nettyThreads and/or timeout settings") and then the channel, the command and its parameters.
   * During an outage that advice is wrong and the rest is noise; the engine's own line says what
   * the call does instead.
   */
  static String safeMessage(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    String masked = CREDENTIALS.matcher(message).replaceAll("$1***@");
    return e.getClass().getSimpleName() + ": " + firstStatement(masked);
  }

  /** The message up to its first sentence's end or its first advice, whichever comes first. */
  private static String firstStatement(String message) {
    int end = message.length();
    Matcher advice = ADVICE.matcher(message);
    if (advice.find()) {
      end = advice.start();
    }
    Matcher sentence = SENTENCE_END.matcher(message);
    if (sentence.find() && sentence.start() < end) {
      end = sentence.start() + 1;
    }
    String statement = message.substring(0, end).strip();
    while (statement.endsWith(".") || statement.endsWith(",")) {
      statement = statement.substring(0, statement.length() - 1).strip();
    }
    return statement.isEmpty() ? message.strip() : statement;
  }

  /** Escapes the characters SCAN's MATCH treats as a pattern. */
  static String globEscape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }
}
